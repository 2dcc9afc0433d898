/// A TCP socket's state as Linux reports it in `tcp_info.tcpi_state` (`include/net/tcp_states.h`),
/// named the way `netstat` prints it.
public enum TCPState: Int, Sendable, Hashable, CaseIterable {
    case established = 1
    case synSent = 2
    case synReceived = 3
    case finWait1 = 4
    case finWait2 = 5
    case timeWait = 6
    case close = 7
    case closeWait = 8
    case lastAck = 9
    case listen = 10
    case closing = 11
    case newSynReceived = 12
    case boundInactive = 13

    /// The name netstat and ss show.
    public var netstatName: String {
        switch self {
        case .established: "ESTABLISHED"
        case .synSent: "SYN_SENT"
        case .synReceived: "SYN_RECV"
        case .finWait1: "FIN_WAIT1"
        case .finWait2: "FIN_WAIT2"
        case .timeWait: "TIME_WAIT"
        case .close: "CLOSE"
        case .closeWait: "CLOSE_WAIT"
        case .lastAck: "LAST_ACK"
        case .listen: "LISTEN"
        case .closing: "CLOSING"
        case .newSynReceived: "NEW_SYN_RECV"
        case .boundInactive: "BOUND_INACTIVE"
        }
    }

    /// Whether the peer's FIN has been received in this state.
    public var peerHasClosed: Bool {
        switch self {
        case .closeWait, .lastAck, .closing, .timeWait: true
        default: false
        }
    }
}
