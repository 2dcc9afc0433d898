import NIOCore
import NIOPosix
import ResetLabProxy

/// Runs the proxies the control API asks for: the real-socket side of ``ProxyBackend``.
actor ProxyEngine: ProxyBackend {
    private let group: EventLoopGroup
    private var proxies: [String: RunningProxy] = [:]
    private var order: [String] = []
    /// Counters outlive restarts of a proxy (a listen change, a disable and enable).
    private var metrics: [String: ProxyMetrics] = [:]

    init(group: EventLoopGroup) {
        self.group = group
    }

    func startProxy(_ proxy: ProxyDefinition, toxics: [ToxicDefinition]) async throws -> String {
        if let running = self.proxies.removeValue(forKey: proxy.name) { await running.stop() }
        let metrics = self.metrics[proxy.name] ?? ProxyMetrics()
        self.metrics[proxy.name] = metrics
        let running = try RunningProxy(definition: proxy, toxics: toxics, group: self.group, metrics: metrics)
        let address = try await running.start()
        self.proxies[proxy.name] = running
        if !self.order.contains(proxy.name) { self.order.append(proxy.name) }
        return address
    }

    func stopProxy(named name: String) async {
        guard let running = self.proxies.removeValue(forKey: name) else { return }
        await running.stop()
    }

    func updateToxics(proxy name: String, toxics: [ToxicDefinition]) async {
        self.proxies[name]?.updateToxics(toxics)
    }

    func metricsText() async -> String {
        PrometheusText.render(
            self.order.compactMap { name in
                guard let running = self.proxies[name] else { return nil }
                return PrometheusText.Proxy(
                    name: name, listen: running.listenAddress, upstream: running.definition.upstream,
                    metrics: running.metrics
                )
            }
        )
    }

    /// Stops every proxy.
    func stopAll() async {
        for running in self.proxies.values { await running.stop() }
        self.proxies.removeAll()
    }
}
