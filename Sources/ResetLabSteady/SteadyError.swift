#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a connection of a session ended, or why an operation could not be done: the one error type of
/// Steady messaging. Carries the errno behind it, when there was one, and what a Windows program would
/// have been told for the same event.
public struct SteadyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The peer (or a device in between) reset the connection: RST.
        case reset
        /// The peer closed the connection (FIN) without saying goodbye.
        case closed
        /// Nothing came from the peer within the liveness budget, or the kernel gave up (keepalive, user
        /// timeout), or a connect or handshake took too long.
        case timedOut
        /// Nobody listens at the address (connect answered with RST).
        case refused
        /// No route to the peer (network or host unreachable).
        case unreachable
        /// The peer broke the protocol, or refused the session.
        case protocolViolation
        /// The session was closed by this side; nothing more can be sent.
        case sessionClosed
        /// A journal could not be read or written.
        case journal
        /// A message is larger than the configured maximum payload; it was not sent.
        case tooLarge
        /// Anything else (an errno this type does not name).
        case other
    }

    public var kind: Kind
    /// The errno behind it (104 for ECONNRESET), when the kernel reported one.
    public var errno: Int32?
    /// What to read about it, in words.
    public var detail: String

    public init(_ kind: Kind, errno: Int32? = nil, detail: String) {
        self.kind = kind
        self.errno = errno
        self.detail = detail
    }

    /// The error for a failed socket call that reported `code`.
    public init(errno code: Int32, during operation: String) {
        let kind: Kind
        switch code {
        case ECONNRESET, EPIPE: kind = .reset
        case ETIMEDOUT: kind = .timedOut
        case ECONNREFUSED: kind = .refused
        case EHOSTUNREACH, ENETUNREACH, ENETDOWN, EHOSTDOWN: kind = .unreachable
        default: kind = .other
        }
        self.init(kind, errno: code, detail: "\(operation): \(Self.errnoName(code)) (\(code))")
    }

    /// The Winsock error a Windows program gets for the same event, e.g. `WSAECONNRESET (10054)`.
    public var winsock: String? {
        switch self.kind {
        case .reset: return self.errno == EPIPE ? "WSAECONNABORTED (10053)" : "WSAECONNRESET (10054)"
        case .timedOut: return "WSAETIMEDOUT (10060)"
        case .refused: return "WSAECONNREFUSED (10061)"
        case .unreachable: return self.errno == ENETUNREACH ? "WSAENETUNREACH (10051)" : "WSAEHOSTUNREACH (10065)"
        case .closed: return "0 (a graceful close: recv returns 0)"
        case .protocolViolation, .sessionClosed, .journal, .tooLarge, .other: return nil
        }
    }

    /// The errno's name, e.g. `ECONNRESET`.
    public var errnoName: String? { self.errno.map(Self.errnoName) }

    public var description: String {
        var text = "\(self.kind.rawValue): \(self.detail)"
        if let winsock = self.winsock, self.kind != .closed { text += " [Windows: \(winsock)]" }
        return text
    }

    static func errnoName(_ code: Int32) -> String {
        switch code {
        case ECONNRESET: "ECONNRESET"
        case EPIPE: "EPIPE"
        case ETIMEDOUT: "ETIMEDOUT"
        case ECONNREFUSED: "ECONNREFUSED"
        case EHOSTUNREACH: "EHOSTUNREACH"
        case ENETUNREACH: "ENETUNREACH"
        case ENETDOWN: "ENETDOWN"
        case EHOSTDOWN: "EHOSTDOWN"
        case ECONNABORTED: "ECONNABORTED"
        case EADDRINUSE: "EADDRINUSE"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case ENOTCONN: "ENOTCONN"
        default: "errno \(code)"
        }
    }
}
