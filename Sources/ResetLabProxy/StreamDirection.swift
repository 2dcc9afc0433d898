/// Which way data flows through a proxied connection, in Toxiproxy's terms.
public enum StreamDirection: String, Sendable, Hashable, CaseIterable, Codable {
    /// From the client, through the proxy, to the upstream server.
    case upstream
    /// From the upstream server, through the proxy, to the client.
    case downstream

    /// The other direction.
    public var opposite: StreamDirection {
        self == .upstream ? .downstream : .upstream
    }
}
