/// One TCP connection seen from one of its sockets: this host's end first. The two sockets of a loopback
/// connection have the same ends the other way round (``reversed``).
public struct ConnectionEnds: Sendable, Hashable, CustomStringConvertible {
    /// The ends as printed (`127.0.0.1:80`), so that an IPv4-mapped IPv6 address and the IPv4 address it
    /// carries are the same end.
    public let local: String
    public let remote: String

    public init(local: TraceEndpoint, remote: TraceEndpoint) {
        self.local = local.description
        self.remote = remote.description
    }

    /// The same connection from the other socket's side.
    public var reversed: ConnectionEnds { ConnectionEnds(local: self.remote, remote: self.local) }

    private init(local: String, remote: String) {
        self.local = local
        self.remote = remote
    }

    public var description: String { "\(self.local) → \(self.remote)" }
}
