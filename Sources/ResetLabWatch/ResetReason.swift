/// Why the kernel sent a RST: the `reason=` of the `tcp:tcp_send_reset` tracepoint (enum sk_rst_reason,
/// Linux 6.10 and later), in plain words, with what the application on each side then sees.
///
/// The meanings of the reasons that can be made on loopback are checked by `resetlab watch`'s tests on
/// this kernel (NO_SOCKET: no listener; TCP_ABORT_ON_CLOSE: close with unread data; TCP_STATE:
/// SO_LINGER {1, 0} then close; TCP_TIMEWAIT_SOCKET: data after a graceful close; TCP_ABORT_ON_DATA:
/// data after shutdown(SHUT_RDWR); TCP_KEEPALIVE_TIMEOUT: keepalive probes dropped) and by the lab's
/// scenarios (TCP_ABORT_ON_LINGER: linger2-abort); the others follow the kernel's own comments on the enum.
public enum ResetReason: Sendable, Hashable {
    case notSpecified
    case noSocket
    case invalidAckSequence
    case paws
    case tooOldAck
    case ackUnsentData
    case badFlags
    case oldAck
    case abortOnData
    case timeWaitSocket
    case invalidSYN
    case abortOnClose
    case abortOnLinger
    case abortOnMemory
    case state
    case keepaliveTimeout
    case disconnectWithData
    case error
    /// MPTCP's own reasons (`MPTCP_RST_*`), by name.
    case mptcp(String)
    /// A name this version does not know.
    case other(String)

    /// The kernel's name for it, as the tracepoint prints it.
    public var name: String {
        switch self {
        case .mptcp(let name), .other(let name): name
        default: Self.table.first { $0.reason == self }?.name ?? "NOT_SPECIFIED"
        }
    }

    /// Reads the tracepoint's `reason=` value.
    public init(name: some StringProtocol) {
        if let known = Self.table.first(where: { $0.name == name }) {
            self = known.reason
        } else if name.hasPrefix("MPTCP_RST_") {
            self = .mptcp(String(name))
        } else {
            self = .other(String(name))
        }
    }

    /// What happened, in words a person can act on.
    public var meaning: String {
        switch self {
        case .notSpecified: "the kernel gave no reason (an older code path)"
        case .noSocket: "no socket matched the packet: nothing listens on that port, or the connection is already gone on this host"
        case .invalidAckSequence: "the packet acknowledged data that was never sent (a stale or forged segment)"
        case .paws: "the packet's TCP timestamp was older than the connection's (PAWS, RFC 7323): an old duplicate"
        case .tooOldAck: "the packet acknowledged data from before the connection's window: an old duplicate"
        case .ackUnsentData: "the packet acknowledged data not sent yet"
        case .badFlags: "the packet's flags made no sense for the connection's state"
        case .oldAck: "an old acknowledgement arrived for a connection in the handshake"
        case .abortOnData: "data arrived after this side's application had shut down reading (shutdown(SHUT_RDWR), or close() before its FIN was acknowledged): the peer was still sending"
        case .timeWaitSocket: "a packet arrived for a connection this side had already closed (TIME_WAIT or an orphaned FIN_WAIT2)"
        case .invalidSYN: "an unexpected SYN arrived on an established connection"
        case .abortOnClose: "the application closed its socket with data it had not read: the kernel resets instead of a FIN"
        case .abortOnLinger: "a socket closed in FIN_WAIT2 with TCP_LINGER2 below 0 (no wait for the peer's FIN): the kernel aborts it at once"
        case .abortOnMemory: "the kernel ran short of socket memory (or orphaned sockets) and dropped the connection"
        case .state: "the connection was aborted in its current state (SO_LINGER {1, 0}, shutdown by the application, or tcp_abort)"
        case .keepaliveTimeout: "keepalive probes went unanswered: the peer is gone or unreachable (this side's application gets ETIMEDOUT, WSAETIMEDOUT 10060)"
        case .disconnectWithData: "the connection was disconnected while data was still queued"
        case .error: "an internal error or a socket error ended the connection"
        case .mptcp(let name): "MPTCP ended a subflow (\(name))"
        case .other(let name): "a reason this version of ResetLab does not know (\(name))"
        }
    }

    /// What the peer's application (the one receiving this RST) most likely sees.
    public var peerSees: String {
        switch self {
        case .noSocket: "connect: ECONNREFUSED (Windows WSAECONNREFUSED 10061), or on an existing connection ECONNRESET (10054)"
        case .timeWaitSocket: "often nothing: its next read returns end-of-file, or its next write fails with EPIPE/ECONNRESET"
        default: "recv/send: ECONNRESET (Windows WSAECONNRESET 10054); a write after it EPIPE"
        }
    }

    /// What to ask `resetlab explain` about the error the peer sees.
    public var explainQuery: String {
        switch self {
        case .noSocket: "ECONNREFUSED"
        case .timeWaitSocket: "EPIPE"
        default: "ECONNRESET"
        }
    }

    private static let table: [(name: String, reason: ResetReason)] = [
        ("NOT_SPECIFIED", .notSpecified), ("NO_SOCKET", .noSocket), ("TCP_INVALID_ACK_SEQUENCE", .invalidAckSequence),
        ("TCP_RFC7323_PAWS", .paws), ("TCP_TOO_OLD_ACK", .tooOldAck), ("TCP_ACK_UNSENT_DATA", .ackUnsentData),
        ("TCP_FLAGS", .badFlags), ("TCP_OLD_ACK", .oldAck), ("TCP_ABORT_ON_DATA", .abortOnData),
        ("TCP_TIMEWAIT_SOCKET", .timeWaitSocket), ("INVALID_SYN", .invalidSYN), ("TCP_ABORT_ON_CLOSE", .abortOnClose),
        ("TCP_ABORT_ON_LINGER", .abortOnLinger), ("TCP_ABORT_ON_MEMORY", .abortOnMemory), ("TCP_STATE", .state),
        ("TCP_KEEPALIVE_TIMEOUT", .keepaliveTimeout), ("TCP_DISCONNECT_WITH_DATA", .disconnectWithData), ("ERROR", .error),
    ]
}
