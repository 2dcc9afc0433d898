/// The facts a probe established, beyond its printed steps: what the verdict reasons from.
public struct ProbeFindings: Sendable {
    /// Problems with the host name as written (``HostNameCheck``).
    public var nameProblems: [String] = []
    /// Why the name did not resolve, when it did not.
    public var nameFailure: String?
    public var addresses: [String] = []
    /// Each address's TCP connect: `nil` when it connected.
    public var connects: [(address: String, breakage: Breakage?)] = []
    /// The TLS handshake and certificate, when TLS was used.
    public var tls: TLSFacts?
    /// The first step of the conversation that failed, and how.
    public var firstFailure: (step: String, breakage: Breakage)?
    /// The SMTP server offered STARTTLS; AUTH mechanisms before and after it.
    public var smtpStartTLSOffered: Bool?
    public var smtpAuthBeforeTLS: [String] = []
    public var smtpAuthAfterTLS: [String] = []
    /// FTP data connection modes tried: PASV, EPSV, PORT, EPRT, each `nil` when it worked.
    public var ftpDataModes: [(mode: String, breakage: Breakage?)] = []
    /// The PASV reply named another address than the control connection's.
    public var pasvAddressMismatch: (advertised: String, control: String)?
    /// The concurrency ramp: connections that worked, and how the next one was refused.
    public var connectionLimit: (working: Int, refusal: Breakage)?
    /// The ramp reached its maximum with every connection working.
    public var connectionRampPassed: Int?
    /// Idle-timeout discovery: the bracket and how idle connections ended.
    public var idle: IdleFinding?
    /// An upload or download that broke, and after how many bytes.
    public var transferFailure: (direction: String, bytes: Int, breakage: Breakage)?
    /// The HTTP server closed an idle keep-alive connection after this many seconds.
    public var httpKeepAliveSeconds: Double?
    /// A RST arrived with another TTL than the server's SYN-ACK: (the RST's, the server's).
    public var injectedReset: (resetTTL: UInt8, serverTTL: UInt8)?

    public init() {}

    /// Whether every address refused, timed out or was unreachable.
    public var noAddressConnected: Bool {
        !self.connects.isEmpty && self.connects.allSatisfy { $0.breakage != nil }
    }
}

/// What the TLS step saw.
public struct TLSFacts: Sendable, Hashable {
    public var handshakeFailure: String?
    public var protocolVersion: String?
    public var cipher: String?
    public var subject: String?
    public var issuer: String?
    /// Seconds since the epoch.
    public var notAfter: Int64?
    public var trusted: Bool
    public var untrustedReason: String?
    public var nameMatches: Bool

    public init(
        handshakeFailure: String? = nil, protocolVersion: String? = nil, cipher: String? = nil, subject: String? = nil,
        issuer: String? = nil, notAfter: Int64? = nil, trusted: Bool = false, untrustedReason: String? = nil,
        nameMatches: Bool = false
    ) {
        self.handshakeFailure = handshakeFailure
        self.protocolVersion = protocolVersion
        self.cipher = cipher
        self.subject = subject
        self.issuer = issuer
        self.notAfter = notAfter
        self.trusted = trusted
        self.untrustedReason = untrustedReason
        self.nameMatches = nameMatches
    }
}

/// What `--idle` found.
public struct IdleFinding: Sendable, Hashable {
    /// Idle connections lived at least this long...
    public var survivedSeconds: Double?
    /// ...and were killed by this idle time (nil: none was killed within the search).
    public var killedSeconds: Double?
    /// How they ended: FIN or RST from the server's side, or a silent drop found by a keepalive.
    public var how: Breakage?
    /// Whether the end came unprompted (the server or a middlebox closed on its own timer) rather than
    /// being found by a probe packet.
    public var closedUnprompted: Bool
    /// The longest idle period searched.
    public var searchedUpTo: Double

    public init(survivedSeconds: Double?, killedSeconds: Double?, how: Breakage?, closedUnprompted: Bool, searchedUpTo: Double) {
        self.survivedSeconds = survivedSeconds
        self.killedSeconds = killedSeconds
        self.how = how
        self.closedUnprompted = closedUnprompted
        self.searchedUpTo = searchedUpTo
    }
}
