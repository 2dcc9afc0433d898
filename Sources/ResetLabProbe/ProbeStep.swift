/// One step of a probe as it is printed: what was tried, how long it took, what came back.
public struct ProbeStep: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// It worked.
        case ok
        /// It worked, with something worth a look.
        case warning
        /// It did not work.
        case failed
        /// Not tried, because an earlier step failed or the option was off.
        case skipped
    }

    /// Which part of the conversation, e.g. "Name", "TCP 127.0.0.1", "SMTP EHLO", "FTP PASV".
    public var title: String
    public var status: Status
    /// Wall time of the step, in milliseconds.
    public var milliseconds: Double?
    /// One line of result, e.g. "220 mail.example.com ESMTP".
    public var summary: String
    /// More lines: capabilities, certificate fields, addresses.
    public var details: [String]
    /// How it broke, when it failed.
    public var breakage: Breakage?

    public init(
        title: String, status: Status, milliseconds: Double? = nil, summary: String, details: [String] = [],
        breakage: Breakage? = nil
    ) {
        self.title = title
        self.status = status
        self.milliseconds = milliseconds
        self.summary = summary
        self.details = details
        self.breakage = breakage
    }
}
