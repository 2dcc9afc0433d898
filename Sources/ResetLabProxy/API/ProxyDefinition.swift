/// A proxy as the control API knows it: Toxiproxy's `{name, listen, upstream, enabled}`.
public struct ProxyDefinition: Sendable, Hashable {
    /// The address ResetLab listens on when a request leaves `listen` out or empty: loopback, any free port.
    /// (Toxiproxy binds every interface there; a fault injector should not be reachable from the network
    /// by accident.)
    public static let defaultListen = "127.0.0.1:0"

    /// The unique name, used in the API's paths. Never empty, never contains `/`.
    public var name: String
    /// The listen address: as requested until the proxy first starts, then the address actually bound
    /// (`127.0.0.1:0` becomes `127.0.0.1:41234`), so a restart binds the same port again.
    public var listen: String
    /// The `host:port` every accepted connection is relayed to.
    public var upstream: String
    /// Whether the listener is open. A disabled proxy refuses connections and has none.
    public var enabled: Bool

    /// - Parameters:
    ///   - name: The proxy's name.
    ///   - listen: The address to listen on.
    ///   - upstream: The address to relay to.
    ///   - enabled: Whether the proxy accepts connections.
    public init(name: String, listen: String = ProxyDefinition.defaultListen, upstream: String, enabled: Bool = true) {
        self.name = name
        self.listen = listen
        self.upstream = upstream
        self.enabled = enabled
    }
}
