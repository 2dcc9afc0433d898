/// Drops the "received" reset the kernel reports when it aborts its own socket.
///
/// When data arrives for a socket whose application has shut down reading (shutdown(SHUT_RDWR), or
/// close() before its FIN was acknowledged), the kernel aborts the socket with `tcp_reset()` — which fires
/// `tcp:tcp_receive_reset` although no RST arrived — and then sends a RST with reason
/// TCP_ABORT_ON_DATA. Seen on kernel 6.18: `received … TCP_FIN_WAIT2` then, microseconds later on the
/// same ends, `sent … reason=TCP_ABORT_ON_DATA`. So each received reset is held back for ``window``
/// seconds of trace time: dropped if that sent reset comes, shown otherwise. Events of other connections
/// may come in between (a busy host), and the pair may be split across two reads.
public struct SelfAbortFilter: Sendable {
    /// How long a received reset waits for its abort, in seconds.
    public let window: Double
    private var held: [KernelEvent] = []

    public init(window: Double = 0.001) {
        self.window = window
    }

    /// The events to show now, given the next one: received resets whose window has passed, then `event`
    /// unless it is a received reset (held).
    public mutating func pass(_ event: KernelEvent) -> [KernelEvent] {
        if case .sentReset(reason: .abortOnData) = event.kind, let own = self.held.firstIndex(where: { $0.ends == event.ends }) {
            self.held.remove(at: own)
        }
        var shown = self.flush(now: event.timestamp)
        if case .receivedReset = event.kind {
            self.held.append(event)
        } else {
            shown.append(event)
        }
        return shown
    }

    /// The received resets whose window has passed by `now` (trace time, seconds).
    public mutating func flush(now: Double) -> [KernelEvent] {
        guard let due = self.held.firstIndex(where: { $0.timestamp + self.window > now }) else {
            defer { self.held.removeAll() }
            return self.held
        }
        let shown = Array(self.held[..<due])
        self.held.removeFirst(due)
        return shown
    }

    /// Every received reset still held: at the end.
    public mutating func flushAll() -> [KernelEvent] {
        defer { self.held.removeAll() }
        return self.held
    }
}
