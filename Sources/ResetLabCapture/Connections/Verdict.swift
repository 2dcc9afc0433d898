/// How a connection ended, finer than Zeek's `conn_state`: the pattern a person would name.
public enum Verdict: Sendable, Hashable {
    /// A FIN each way (a RST after both FINs still counts as clean, as in Zeek).
    case cleanClose
    /// The client (originator) reset the connection, with no more specific pattern.
    case resetByClient
    /// The server (responder) reset the connection, with no more specific pattern.
    case resetByServer
    /// One side closed (FIN), the other kept sending, and the closed side answered with RST: the pattern
    /// behind WSAECONNABORTED 10053. `byServer`: the server sent the FIN and the RST.
    case finThenReset(byServer: Bool)
    /// The server answered the SYN with RST.
    case refused
    /// SYNs without any answer; `retries` is the number of retransmitted SYNs.
    case synUnanswered(retries: Int)
    /// Reset while data was unacknowledged.
    case resetMidTransfer(byServer: Bool, bytesInFlight: Int)
    /// Reset after the connection had been silent for a while.
    case resetAfterIdle(byServer: Bool, seconds: Double)
    /// The resetting side retransmitted without answer, then gave up with RST (the timeout-abort pattern).
    case retransmissionsThenReset(byServer: Bool, retransmissions: Int)
    /// One side sent data after the other's FIN and nothing was reset (a half-close in use).
    case dataAfterPeerFin(byServer: Bool)
    /// No end seen before the capture stopped.
    case stillOpen

    /// A stable identifier for filters and machine output, e.g. `fin-then-reset`.
    public var identifier: String {
        switch self {
        case .cleanClose: "clean-close"
        case .resetByClient: "reset-by-client"
        case .resetByServer: "reset-by-server"
        case .finThenReset: "fin-then-reset"
        case .refused: "refused"
        case .synUnanswered: "syn-unanswered"
        case .resetMidTransfer: "reset-mid-transfer"
        case .resetAfterIdle: "reset-after-idle"
        case .retransmissionsThenReset: "retransmissions-then-reset"
        case .dataAfterPeerFin: "data-after-peer-fin"
        case .stillOpen: "still-open"
        }
    }

    /// Whether a RST ended the connection.
    public var isReset: Bool {
        switch self {
        case .resetByClient, .resetByServer, .finThenReset, .refused, .resetMidTransfer, .resetAfterIdle,
            .retransmissionsThenReset:
            true
        case .cleanClose, .synUnanswered, .dataAfterPeerFin, .stillOpen:
            false
        }
    }

    /// One line for people, e.g. "server closed (FIN), client kept sending, server reset (the 10053 pattern)".
    public var sentence: String {
        func side(_ byServer: Bool) -> String { byServer ? "server" : "client" }
        func peer(_ byServer: Bool) -> String { byServer ? "client" : "server" }
        switch self {
        case .cleanClose: return "clean close (FIN each way)"
        case .resetByClient: return "reset by the client"
        case .resetByServer: return "reset by the server"
        case .finThenReset(let byServer):
            return "\(side(byServer)) closed (FIN), \(peer(byServer)) kept sending, \(side(byServer)) reset (the 10053 pattern)"
        case .refused: return "refused: RST answered the SYN"
        case .synUnanswered(let retries):
            return retries == 0 ? "SYN unanswered" : "SYN unanswered (\(retries) \(retries == 1 ? "retry" : "retries"))"
        case .resetMidTransfer(let byServer, let bytes):
            return "reset by the \(side(byServer)) mid-transfer (\(bytes) bytes in flight)"
        case .resetAfterIdle(let byServer, let seconds):
            return "reset by the \(side(byServer)) after \(Self.format(seconds)) s idle"
        case .retransmissionsThenReset(let byServer, let count):
            return "\(side(byServer)) retransmitted \(count) times unanswered, then reset (timeout abort)"
        case .dataAfterPeerFin(let byServer):
            return "\(side(byServer)) sent data after the \(peer(byServer))'s FIN"
        case .stillOpen: return "still open at the end of the capture"
        }
    }

    static func format(_ seconds: Double) -> String {
        let tenths = (seconds * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}
