/// What `resetlab probe` may do beyond the default checks, and how long each step may take.
public struct ProbeOptions: Sendable {
    /// Seconds any one step may take: a connect, a reply, a handshake.
    public var timeout: Double
    /// SMTP: send a test message from this address to `recipient`.
    public var mailFrom: String?
    public var recipient: String?
    /// FTP: upload and download this many bytes (0: no transfer).
    public var transferSize: Int
    /// Open up to this many connections at once to find the server's per-client limit (0: off).
    public var maxConnections: Int
    /// Find after how long idle connections are killed.
    public var idle: Bool
    /// The longest idle period `--idle` waits for, in seconds.
    public var idleLimit: Double
    /// How many connections `--idle` uses at once.
    public var idleConnections: Int
    /// The name the probe gives itself in SMTP EHLO.
    public var heloName: String

    public init(
        timeout: Double = 5, mailFrom: String? = nil, recipient: String? = nil, transferSize: Int = 0,
        maxConnections: Int = 0, idle: Bool = false, idleLimit: Double = 120, idleConnections: Int = 24,
        heloName: String = "resetlab.probe"
    ) {
        self.timeout = timeout
        self.mailFrom = mailFrom
        self.recipient = recipient
        self.transferSize = transferSize
        self.maxConnections = maxConnections
        self.idle = idle
        self.idleLimit = idleLimit
        self.idleConnections = idleConnections
        self.heloName = heloName
    }
}
