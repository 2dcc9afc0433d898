/// `max_connections`: at most `connections` connections at once through the proxy, like an FTP server
/// with too many users logged in (story 4). Beyond the limit a new connection is accepted and reset at
/// once (`refuse` = 0: the client's connect succeeds, its first read fails with ECONNRESET) or refused
/// (`refuse` ≠ 0: the proxy closes its listener while at the limit, so the kernel answers SYNs with RST and
/// the client's connect fails with ECONNREFUSED). Not in Toxiproxy.
///
/// A proxy-wide fault: the proxy asks it before proxying each accepted connection and, with `refuse`,
/// whenever the number of open connections changes.
public struct ConnectionLimitFault: Sendable, Hashable {
    /// How many connections may be open at once.
    public let connections: Int64
    /// Whether to refuse (close the listener) rather than reset connections over the limit.
    public let refuse: Bool
    /// Connections reset because they were over the limit.
    public private(set) var rejectedCount = 0

    public init(connections: Int64, refuse: Int64) {
        self.connections = max(connections, 0)
        self.refuse = refuse != 0
    }

    /// Decides about a connection just accepted. `openConnections` counts the connections already open,
    /// not this one. Over the limit it is reset, also with `refuse` (a connect that raced the listener
    /// closing: resetting it is the closest to a refusal).
    public mutating func connectionAccepted(openConnections: Int) -> ConnectionLimitDecision {
        guard Int64(openConnections) >= self.connections else { return .allow }
        self.rejectedCount += 1
        return .reset
    }

    /// Whether the listener should be open with this many connections open: with `refuse`, only below the
    /// limit; without it, always (connections over the limit are reset instead).
    public func listenerShouldAccept(openConnections: Int) -> Bool {
        !self.refuse || Int64(openConnections) < self.connections
    }
}
