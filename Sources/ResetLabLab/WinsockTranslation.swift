/// What a Windows program would see for the same packets that produced a Linux result.
///
/// Linux and Winsock report the same wire events differently. The table below is the single place where
/// ResetLab maps one to the other; every row is exercised by the tests and most by a lab scenario.
///
/// | Linux result | what had happened before the call | Winsock result |
/// |---|---|---|
/// | `ECONNRESET` | the peer's FIN had arrived (FIN, then RST) | 10053 `WSAECONNABORTED` |
/// | `ECONNRESET` | otherwise (RST alone) | 10054 `WSAECONNRESET` |
/// | `EPIPE` | this side had called `shutdown(SHUT_WR)` | 10058 `WSAESHUTDOWN` |
/// | `EPIPE` | the peer's FIN had arrived (FIN, then RST) | 10053 `WSAECONNABORTED` |
/// | `EPIPE` | otherwise (after an RST) | 10054 `WSAECONNRESET` |
/// | `0` (EOF) | an RST arrived after the peer's FIN | 10053 `WSAECONNABORTED` (Linux keeps reporting EOF) |
/// | `0` (EOF) | otherwise | `0`: a graceful close |
/// | `ETIMEDOUT` | any | 10060 `WSAETIMEDOUT` |
/// | `EAGAIN` | `SO_RCVTIMEO` expired | 10060 `WSAETIMEDOUT` |
/// | `ECONNREFUSED` | any | 10061 `WSAECONNREFUSED` |
/// | `ECONNABORTED` | any | 10053 `WSAECONNABORTED` |
/// | `EHOSTUNREACH` / `ENETUNREACH` | any | 10065 / 10051 |
/// | `ENETDOWN` / `EHOSTDOWN` | any | 10050 / 10064 |
/// | `ENOTCONN` | any | 10057 `WSAENOTCONN` |
/// | `EADDRINUSE` / `EADDRNOTAVAIL` | any | 10048 / 10049 |
/// | any success | any | the same success |
/// | anything else | any | no Winsock equivalent in this table |
///
/// The FIN-then-RST rows follow story 5: a server closes normally, the client writes, the server's kernel
/// answers with RST, and the client's next receive fails on Windows with 10053 while Linux reports EOF.
public enum WinsockTranslation {
    /// What had happened on a connection before a call, as far as the translation needs to know.
    public struct History: Sendable, Hashable {
        /// The peer's FIN had arrived (a recv returned EOF, or the state was CLOSE_WAIT or later).
        public var peerFinSeen = false
        /// An RST had arrived (the state fell to CLOSE without a local close).
        public var resetSeen = false
        /// This side had called `shutdown(SHUT_WR)`.
        public var localShutdown = false

        public init(peerFinSeen: Bool = false, resetSeen: Bool = false, localShutdown: Bool = false) {
            self.peerFinSeen = peerFinSeen
            self.resetSeen = resetSeen
            self.localShutdown = localShutdown
        }
    }

    /// A Winsock result.
    public enum Result: Sendable, Hashable, CustomStringConvertible {
        /// The same success Linux reported (bytes, or 0 for a graceful close).
        case sameAsLinux
        /// `SOCKET_ERROR` with this `WSAGetLastError()` value.
        case error(name: String, code: Int)
        /// The Linux error has no Winsock counterpart in this table.
        case unmapped

        public var description: String {
            switch self {
            case .sameAsLinux: "same"
            case .error(let name, let code): "\(code) \(name)"
            case .unmapped: "no Winsock equivalent"
            }
        }

        /// The compact form for tables: "same" or "10053".
        public var shortDescription: String {
            switch self {
            case .sameAsLinux: "same"
            case .error(_, let code): String(code)
            case .unmapped: "?"
            }
        }
    }

    /// Errors that map one to one, whatever came before.
    private static let direct: [String: (String, Int)] = [
        "ETIMEDOUT": ("WSAETIMEDOUT", 10060),
        "EAGAIN": ("WSAETIMEDOUT", 10060),
        "ECONNREFUSED": ("WSAECONNREFUSED", 10061),
        "ECONNABORTED": ("WSAECONNABORTED", 10053),
        "EHOSTUNREACH": ("WSAEHOSTUNREACH", 10065),
        "ENETUNREACH": ("WSAENETUNREACH", 10051),
        "ENETDOWN": ("WSAENETDOWN", 10050),
        "EHOSTDOWN": ("WSAEHOSTDOWN", 10064),
        "ENOTCONN": ("WSAENOTCONN", 10057),
        "EADDRINUSE": ("WSAEADDRINUSE", 10048),
        "EADDRNOTAVAIL": ("WSAEADDRNOTAVAIL", 10049),
    ]

    private static let aborted = Result.error(name: "WSAECONNABORTED", code: 10053)
    private static let reset = Result.error(name: "WSAECONNRESET", code: 10054)

    /// Translates one Linux outcome. Returns `nil` for outcomes that are not socket calls (harness actions).
    public static func translate(_ outcome: CallOutcome, history: History) -> Result? {
        switch outcome {
        case .acted, .inspected:
            return nil
        case .done, .sent, .received, .frames:
            return .sameAsLinux
        case .endOfStream:
            return history.peerFinSeen && history.resetSeen ? Self.aborted : .sameAsLinux
        case .failed(let error):
            switch error.name {
            case "ECONNRESET":
                return history.peerFinSeen ? Self.aborted : Self.reset
            case "EPIPE":
                if history.localShutdown { return .error(name: "WSAESHUTDOWN", code: 10058) }
                return history.peerFinSeen ? Self.aborted : Self.reset
            default:
                if let (name, code) = Self.direct[error.name] { return .error(name: name, code: code) }
                return .unmapped
            }
        }
    }
}
