import ResetLabWatch

/// One RST of a scenario's connections, and who really sent it.
///
/// The kernel's own account comes from the `tcp:tcp_send_reset` tracepoint, which fires whenever a socket (or
/// the TCP stack on behalf of a port with no socket) sends a RST, with the reason (`enum sk_rst_reason`, Linux
/// 6.10 and later) and the socket's state. A RST on the wire that no such event explains was not sent by a
/// socket: nftables' `reject with tcp reset`, for one, builds its RST without the tracepoint firing.
public struct LabReset: Sendable, Hashable {
    /// Who sent the RST.
    public enum Origin: Sendable, Hashable {
        /// The kernel of the side's host, for one of its sockets (or for a port with no socket).
        /// - `reason`: the tracepoint's `reason=`, `nil` on kernels before 6.10.
        /// - `state`: the socket's state as the tracepoint prints it (`TCP_CLOSE`, `TCP_TIME_WAIT`, or `UNKNOWN`
        ///   when no socket matched the packet).
        case kernel(reason: ResetReason?, state: String?)
        /// Nothing on the host ran `tcp_send_reset` for it: a firewall or a device in between forged it in the
        /// side's name. Only a capture can show such a RST.
        case notFromASocket
        /// Captured, but the trace is incomplete (see ``KernelTraceStatus/incomplete(_:)``): who sent it is
        /// not known.
        case unexplained
    }

    /// The side in whose name the RST was sent (its source port is that side's).
    public var from: LabActor
    public var origin: Origin
    /// When it was sent, in nanoseconds since the epoch (the clock packets are stamped with): the tracepoint's
    /// time for the kernel's RSTs, the capture's time for one no socket sent.
    public var timestampNanoseconds: Int64
    /// Its position in the scenario's captured packets, or `nil` when it was not captured.
    public var packetIndex: Int?

    public init(from: LabActor, origin: Origin, timestampNanoseconds: Int64, packetIndex: Int? = nil) {
        self.from = from
        self.origin = origin
        self.timestampNanoseconds = timestampNanoseconds
        self.packetIndex = packetIndex
    }

    /// The kernel's reason, when the kernel sent it and said why.
    public var reason: ResetReason? {
        if case .kernel(let reason, _) = self.origin { return reason }
        return nil
    }
}

/// Whether the kernel's reasons for a scenario's resets were traced.
public enum KernelTraceStatus: Sendable, Hashable {
    /// The TCP tracepoints were read for the whole scenario.
    case traced
    /// Traced, but some events may be missing, and why (e.g. "the kernel dropped 12 trace events (the host
    /// was busy)"): the reasons found are shown, nothing is concluded from a missing one, nothing is checked.
    case incomplete(String)
    /// Not traced, and why (e.g. "needs root: …").
    case notTraced(String)
}
