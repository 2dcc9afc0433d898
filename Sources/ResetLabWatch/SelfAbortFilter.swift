/// Drops the "received" reset the kernel reports when it aborts its own socket.
///
/// When data arrives for a socket whose application has shut down reading (shutdown(SHUT_RDWR), or
/// close() before its FIN was acknowledged), the kernel aborts the socket with `tcp_reset()` — which fires
/// `tcp:tcp_receive_reset` although no RST arrived — and then sends a RST with reason
/// TCP_ABORT_ON_DATA. Seen on kernel 6.18: `received … TCP_FIN_WAIT2` then, microseconds later on the
/// same ends, `sent … reason=TCP_ABORT_ON_DATA`. So each received reset is held back until the next event
/// (or the end of a batch of events) shows whether it was that.
public struct SelfAbortFilter: Sendable {
    private var held: KernelEvent?

    public init() {}

    /// The events to show now, in order, given the next one.
    public mutating func pass(_ event: KernelEvent) -> [KernelEvent] {
        var shown: [KernelEvent] = []
        if let held = self.held.take() {
            let selfAbort: Bool
            if case .sentReset(reason: .abortOnData) = event.kind { selfAbort = held.ends == event.ends } else { selfAbort = false }
            if !selfAbort { shown.append(held) }
        }
        if case .receivedReset = event.kind {
            self.held = event
        } else {
            shown.append(event)
        }
        return shown
    }

    /// The held event, at the end of a batch: no sent reset followed it at once.
    public mutating func flush() -> [KernelEvent] {
        self.held.take().map { [$0] } ?? []
    }
}
