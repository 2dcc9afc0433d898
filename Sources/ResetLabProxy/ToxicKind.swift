/// Every fault the proxy knows, by its API name, with the attributes each takes.
///
/// The first eight are Toxiproxy's, with its names, attributes (milliseconds, KB/s where 1 KB = 1000 B,
/// bytes) and defaults. The rest reproduce the stories' failures that Toxiproxy cannot produce.
public enum ToxicKind: String, Sendable, Hashable, CaseIterable, Codable {
    case latency
    case bandwidth
    case slowClose = "slow_close"
    case timeout
    case resetPeer = "reset_peer"
    case slicer
    case limitData = "limit_data"
    case noop
    /// FIN towards the client after `delay` ms, then RST to the client's next data: the 10053 pattern (story 5).
    case halfCloseReset = "half_close_reset"
    /// RST every connection and refuse new ones for `duration` ms, then accept again: a restarted server (story 2).
    case crashRestart = "crash_restart"
    /// RST a connection idle for longer than `idle` ms: a firewall or NAT that resets expired state.
    case idleReset = "idle_reset"
    /// Silently drop a connection idle for longer than `idle` ms: a middlebox that forgets state (story 2).
    case idleDrop = "idle_drop"
    /// Allow `connections` concurrent connections; beyond that reset (`refuse` = 0) or refuse (`refuse` = 1):
    /// an FTP server full of users (story 4).
    case maxConnections = "max_connections"
    /// RST after `bytes` bytes in the toxic's stream: the upload that dies after ~700 KB (story 3).
    case resetAfterBytes = "reset_after_bytes"

    /// One attribute: its name, its default, and the smallest value allowed.
    public struct Attribute: Sendable, Hashable {
        public var name: String
        public var defaultValue: Int64
        public var minimum: Int64
    }

    /// The attributes this kind takes, in the order the API prints them.
    public var attributes: [Attribute] {
        func attribute(_ name: String, _ defaultValue: Int64 = 0, minimum: Int64 = 0) -> Attribute {
            Attribute(name: name, defaultValue: defaultValue, minimum: minimum)
        }
        switch self {
        case .latency: return [attribute("latency"), attribute("jitter")]
        case .bandwidth: return [attribute("rate")]
        case .slowClose: return [attribute("delay")]
        case .timeout: return [attribute("timeout")]
        case .resetPeer: return [attribute("timeout")]
        case .slicer: return [attribute("average_size", 1, minimum: 1), attribute("size_variation"), attribute("delay")]
        case .limitData: return [attribute("bytes")]
        case .noop: return []
        case .halfCloseReset: return [attribute("delay")]
        case .crashRestart: return [attribute("duration", 1000)]
        case .idleReset, .idleDrop: return [attribute("idle", 1000, minimum: 1)]
        case .maxConnections: return [attribute("connections", 1), attribute("refuse")]
        case .resetAfterBytes: return [attribute("bytes")]
        }
    }

    /// Faults that act on the whole proxy (its listener and all its connections) rather than per connection.
    public var isProxyWide: Bool {
        self == .crashRestart || self == .maxConnections
    }
}
