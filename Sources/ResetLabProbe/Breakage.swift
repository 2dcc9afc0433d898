/// How a conversation with the endpoint broke, as the client saw it.
public enum Breakage: Error, Sendable, Hashable {
    /// The name did not resolve.
    case nameNotFound(String)
    /// A RST answered the SYN: nothing listens there, or a firewall rejects.
    case refused
    /// The SYN went unanswered: a firewall drops it, or the host is down.
    case connectTimedOut
    /// The network said no route (ICMP unreachable, or no route locally).
    case unreachable(String)
    /// An established connection was reset (RST).
    case reset
    /// The peer closed the connection (FIN) where the protocol expected more.
    case closed
    /// The peer stayed silent past the timeout.
    case timedOut
    /// The server answered with an error reply, e.g. SMTP or FTP `421`.
    case errorReply(code: Int, text: String)
    /// The TLS handshake failed.
    case tlsFailed(String)

    /// One short phrase, e.g. "RST", "FIN", "421 reply".
    public var shortName: String {
        switch self {
        case .nameNotFound: "name not found"
        case .refused: "refused (RST to the SYN)"
        case .connectTimedOut: "connect timed out (SYN unanswered)"
        case .unreachable: "unreachable"
        case .reset: "RST"
        case .closed: "FIN"
        case .timedOut: "timeout"
        case .errorReply(let code, _): "\(code) reply"
        case .tlsFailed: "TLS failure"
        }
    }

    /// What an application would have got: Linux, then Windows, and the `explain` query for the story.
    public var applicationError: (linux: String, windows: String, explain: String)? {
        switch self {
        case .refused: ("ECONNREFUSED (111)", "WSAECONNREFUSED (10061)", "10061")
        case .connectTimedOut, .timedOut: ("ETIMEDOUT (110)", "WSAETIMEDOUT (10060)", "10060")
        case .unreachable: ("EHOSTUNREACH (113)", "WSAEHOSTUNREACH (10065)", "10065")
        case .reset: ("ECONNRESET (104)", "WSAECONNRESET (10054)", "10054")
        case .closed: ("EOF from recv, then EPIPE (32) on send", "recv returns 0, then WSAECONNABORTED (10053)", "10053")
        case .nameNotFound: ("EAI_NONAME (getaddrinfo)", "WSAHOST_NOT_FOUND (11001)", "11001")
        case .errorReply, .tlsFailed: nil
        }
    }
}
