/// `half_close_reset`: the 10053 pattern of story 5. `delay` ms after the stage is attached, the toxic's
/// own stream ends with FIN, as if the sending side had closed its socket; from then on that stream's data
/// is dropped, and the first bytes the other side sends are answered by resetting the connection, as the
/// closed socket's kernel would. Not in Toxiproxy.
///
/// With the default downstream stream the client gets FIN, then RST after its next send; with the upstream
/// stream it mirrors (the server gets FIN, and the server's next data is answered with RST). `delay` = 0
/// sends the FIN as soon as the stage is attached. If the stream ends by itself before the delay, its FIN
/// passes at once and the reset is still armed when the delay expires.
public struct HalfCloseResetToxic: ToxicStage {
    /// Milliseconds from attachment until the FIN.
    public let delay: Int64
    private var deadline: ProxyInstant?
    private var state = State.open

    private enum State: Sendable, Hashable {
        /// Before the delay: data flows.
        case open
        /// The stream ended by itself before the delay; the reset is not armed yet.
        case ended
        /// FIN sent; the opposite side's next data gets RST.
        case armed
        /// The connection was reset.
        case reset
    }

    public init(delay: Int64) {
        self.delay = max(delay, 0)
    }

    public mutating func attached(now: ProxyInstant) -> [FaultAction] {
        guard self.state == .open || self.state == .ended, self.deadline == nil else { return [] }
        guard self.delay > 0 else { return self.arm(now: now) }
        let deadline = now.saturatingAdding(milliseconds: self.delay)
        self.deadline = deadline
        return [.wake(at: deadline)]
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        self.state == .open ? [.forward(bytes, at: now)] : []
    }

    public mutating func oppositeReceived(byteCount: Int, now: ProxyInstant) -> [FaultAction] {
        guard self.state == .armed, byteCount > 0 else { return [] }
        self.state = .reset
        return [.resetConnection(at: now)]
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        guard self.state == .open else { return [] }
        self.state = .ended
        return [.endStream(at: now)]
    }

    public mutating func timerFired(now: ProxyInstant) -> [FaultAction] {
        guard let deadline = self.deadline, now >= deadline else { return [] }
        return self.arm(now: now)
    }

    /// Sends the FIN (unless the stream already ended) and waits for the other side's data.
    private mutating func arm(now: ProxyInstant) -> [FaultAction] {
        switch self.state {
        case .open:
            self.state = .armed
            return [.endStream(at: now)]
        case .ended:
            self.state = .armed
            return []
        case .armed, .reset:
            return []
        }
    }
}
