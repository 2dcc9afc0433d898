/// The boundary between the control API and the engine that really listens and relays.
///
/// ``ControlAPI`` keeps the model and calls these methods one at a time, never two at once, in the
/// order the changes are made. The engine only carries them out.
public protocol ProxyBackend: Sendable {
    /// Opens the proxy's listener and starts relaying with these toxics installed.
    /// - Parameters:
    ///   - proxy: The proxy; `listen` may have port 0.
    ///   - toxics: Its toxics, upstream chain first, then downstream, each in chain order.
    /// - Returns: The address actually bound, e.g. `127.0.0.1:41234`.
    /// - Throws: ``ProxyBackendError/listen(_:)`` with the operating system's words when the address
    ///   cannot be bound (`listen tcp 127.0.0.1:8080: bind: address already in use`).
    func startProxy(_ proxy: ProxyDefinition, toxics: [ToxicDefinition]) async throws -> String

    /// Closes the proxy's listener and every connection through it. Called only for a started proxy.
    /// - Parameter named: The proxy's name.
    func stopProxy(named: String) async

    /// Installs a proxy's new set of toxics on its live connections and on every later one: additions,
    /// removals and attribute changes are found by name. Called only for a started proxy; a stopped one
    /// gets its toxics with the next ``startProxy(_:toxics:)``.
    /// - Parameters:
    ///   - proxy: The proxy's name.
    ///   - toxics: The complete new set, upstream chain first, then downstream, each in chain order.
    func updateToxics(proxy: String, toxics: [ToxicDefinition]) async

    /// The metrics in Prometheus' text format, served at `/metrics`.
    func metricsText() async -> String
}
