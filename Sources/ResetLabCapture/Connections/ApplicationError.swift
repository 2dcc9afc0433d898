/// The error an application most likely got from its socket calls for what the packets show, on Linux
/// and on Windows, with the `explain` query that tells the whole story.
public struct ApplicationError: Sendable, Hashable {
    /// e.g. `ECONNRESET`.
    public var linuxName: String
    public var linuxNumber: Int
    /// When the call decides it (recv vs send), the other possibility, e.g. `EPIPE (32) on send`.
    public var linuxAlternative: String?
    /// e.g. `WSAECONNRESET`.
    public var winsockName: String
    public var winsockCode: Int

    /// The `resetlab explain` argument for this error.
    public var explainQuery: String { self.winsockName }

    /// `ECONNRESET (104) / WSAECONNRESET (10054)`.
    public var summary: String {
        var text = "\(self.linuxName) (\(self.linuxNumber))"
        if let alternative = self.linuxAlternative { text += " or \(alternative)" }
        return text + " / \(self.winsockName) (\(self.winsockCode))"
    }

    /// A RST arrived: the next recv or send fails.
    public static let reset = ApplicationError(
        linuxName: "ECONNRESET", linuxNumber: 104, linuxAlternative: nil, winsockName: "WSAECONNRESET", winsockCode: 10054
    )
    /// The peer closed (FIN), this side wrote anyway and got a RST: recv gave EOF first; Windows reports
    /// the connection aborted.
    public static let abortedAfterPeerClose = ApplicationError(
        linuxName: "ECONNRESET", linuxNumber: 104, linuxAlternative: "EPIPE (32) on send",
        winsockName: "WSAECONNABORTED", winsockCode: 10053
    )
    /// A RST answered the SYN.
    public static let refused = ApplicationError(
        linuxName: "ECONNREFUSED", linuxNumber: 111, linuxAlternative: nil, winsockName: "WSAECONNREFUSED", winsockCode: 10061
    )
    /// Retransmissions (of a SYN or of data) went unanswered until the stack gave up.
    public static let timedOut = ApplicationError(
        linuxName: "ETIMEDOUT", linuxNumber: 110, linuxAlternative: nil, winsockName: "WSAETIMEDOUT", winsockCode: 10060
    )
}
