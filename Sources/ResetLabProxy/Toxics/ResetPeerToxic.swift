/// `reset_peer`: `timeout` ms after the stage is attached, the connection is aborted with RST in both
/// directions (a peer or middlebox that resets the connection: stories 2, 4 and 5's 10054). Data before
/// that passes unchanged.
///
/// Differences from Toxiproxy, whose version resets only what it was meant to in some cases:
/// - The timer starts when the stage is attached, also when the toxic is added to an open, idle
///   connection. Toxiproxy waits for the first chunk (and drops it), so idle connections are never reset.
/// - The result is always RST. Toxiproxy sends FIN instead when the toxic was added after the connection
///   opened, and sends RST even with toxicity 0 when it was present at connect time (its issue #603),
///   because it sets SO_LINGER on the sockets when the connection starts.
public struct ResetPeerToxic: ToxicStage {
    /// Milliseconds from attachment until the reset.
    public let timeout: Int64
    private var deadline: ProxyInstant?
    private var reset = false

    public init(timeout: Int64) {
        self.timeout = max(timeout, 0)
    }

    public mutating func attached(now: ProxyInstant) -> [FaultAction] {
        guard !self.reset else { return [] }
        let deadline = now.saturatingAdding(milliseconds: self.timeout)
        self.deadline = deadline
        return [.wake(at: deadline)]
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        self.reset ? [] : [.forward(bytes, at: now)]
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        self.reset ? [] : [.endStream(at: now)]
    }

    public mutating func timerFired(now: ProxyInstant) -> [FaultAction] {
        guard let deadline = self.deadline, now >= deadline, !self.reset else { return [] }
        self.reset = true
        return [.resetConnection(at: now)]
    }
}
