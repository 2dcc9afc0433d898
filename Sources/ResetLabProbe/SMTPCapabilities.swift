/// What an SMTP server's EHLO reply offers.
public struct SMTPCapabilities: Sendable, Hashable {
    public var startTLS: Bool
    /// AUTH mechanisms, e.g. PLAIN, LOGIN.
    public var authMechanisms: [String]
    /// The SIZE limit in bytes, when announced (0: announced without a limit).
    public var sizeLimit: Int?
    /// Every keyword, in order.
    public var keywords: [String]

    /// Reads the lines after the greeting line of a `250` EHLO reply.
    public init(ehlo reply: ServerReply) {
        let lines = reply.lines.dropFirst()
        self.keywords = lines.map { $0.split(separator: " ").first.map { String($0).uppercased() } ?? "" }
        self.startTLS = self.keywords.contains("STARTTLS")
        var mechanisms: [String] = []
        var size: Int?
        for line in lines {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map { String($0).uppercased() }
            guard let keyword = words.first else { continue }
            if keyword == "AUTH" { mechanisms += words.dropFirst().filter { !mechanisms.contains($0) } }
            if keyword == "SIZE" { size = words.count > 1 ? Int(words[1]) ?? 0 : 0 }
        }
        self.authMechanisms = mechanisms
        self.sizeLimit = size
    }
}
