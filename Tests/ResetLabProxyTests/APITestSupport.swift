import ResetLabProxy

/// A proxy engine that records what the control API asks of it and binds nothing.
///
/// A `listen` ending in `:0` resolves to the next port from 40001; any other address is echoed. Addresses
/// marked with ``failListen(on:message:)`` throw ``ProxyBackendError/listen(_:)``.
actor APIFakeBackend: ProxyBackend {
    /// One call, with toxics by name (upstream chain first).
    enum Call: Equatable, CustomStringConvertible {
        case start(String, listen: String, upstream: String, toxics: [String])
        case stop(String)
        case update(String, toxics: [String])

        var description: String {
            switch self {
            case .start(let name, let listen, let upstream, let toxics):
                return "start(\(name), \(listen) → \(upstream), \(toxics))"
            case .stop(let name): return "stop(\(name))"
            case .update(let name, let toxics): return "update(\(name), \(toxics))"
            }
        }
    }

    private(set) var calls: [Call] = []
    /// The toxics each proxy last got, through a start or an update.
    private(set) var installed: [String: [ToxicDefinition]] = [:]
    private var failures: [String: String] = [:]
    private var nextPort = 40001
    private let metrics: String

    private var occupied: Set<String> = []

    init(metrics: String = "# HELP toxiproxy_proxy_sent_bytes_total Bytes sent\n") {
        self.metrics = metrics
    }

    /// Makes every later start on `address` fail with `message`.
    func failListen(on address: String, message: String) {
        self.failures[address] = message
    }

    /// Makes every later start on `address` fail because the address is taken.
    func occupy(_ address: String) {
        self.occupied.insert(address)
    }

    /// Lets starts on `address` succeed again.
    func allowListen(on address: String) {
        self.failures[address] = nil
    }

    /// Forgets the calls so far.
    func clearCalls() {
        self.calls = []
    }

    func startProxy(_ proxy: ProxyDefinition, toxics: [ToxicDefinition]) async throws -> String {
        let names = toxics.map(\.name)
        self.calls.append(.start(proxy.name, listen: proxy.listen, upstream: proxy.upstream, toxics: names))
        if self.occupied.contains(proxy.listen) {
            throw ProxyBackendError.addressInUse("listen tcp \(proxy.listen): bind: address already in use")
        }
        if let message = self.failures[proxy.listen] {
            throw ProxyBackendError.listen(message)
        }
        self.installed[proxy.name] = toxics
        guard proxy.listen.hasSuffix(":0") else { return proxy.listen }
        defer { self.nextPort += 1 }
        return "\(proxy.listen.dropLast(2)):\(self.nextPort)"
    }

    func stopProxy(named name: String) async {
        self.calls.append(.stop(name))
    }

    func updateToxics(proxy: String, toxics: [ToxicDefinition]) async {
        self.calls.append(.update(proxy, toxics: toxics.map(\.name)))
        self.installed[proxy] = toxics
    }

    func metricsText() async -> String {
        self.metrics
    }
}

/// A control API over a fake backend, with shorthands for requests.
struct APIHarness {
    let backend = APIFakeBackend()
    let api: ControlAPI

    init() {
        self.api = ControlAPI(version: "9.8.7", backend: self.backend)
    }

    /// Sends one request; `body` is JSON text.
    @discardableResult
    func send(
        _ method: String,
        _ path: String,
        _ body: String? = nil,
        userAgent: String? = "toxiproxy-cli"
    ) async -> APIResponse {
        let headers = userAgent.map { [("User-Agent", $0)] } ?? []
        return await self.api.handle(APIRequest(method: method, path: path, headers: headers, body: body ?? ""))
    }

    /// Creates a proxy with `POST /proxies` and returns the response.
    @discardableResult
    func createProxy(
        _ name: String,
        listen: String = "127.0.0.1:0",
        upstream: String = "127.0.0.1:6379",
        extra: String = ""
    ) async -> APIResponse {
        await self.send(
            "POST",
            "/proxies",
            #"{"name":"\#(name)","listen":"\#(listen)","upstream":"\#(upstream)"\#(extra)}"#
        )
    }

    /// Adds a toxic with `POST /proxies/{proxy}/toxics` and returns the response.
    @discardableResult
    func addToxic(_ proxy: String, _ body: String) async -> APIResponse {
        await self.send("POST", "/proxies/\(proxy)/toxics", body)
    }

    /// The calls the backend got so far.
    var calls: [APIFakeBackend.Call] {
        get async { await self.backend.calls }
    }

    /// Toxiproxy's error body for this message and status (quotes in the message escaped).
    static func errorBody(_ message: String, _ status: Int) -> String {
        let escaped = String(message.flatMap { $0 == "\"" ? ["\\", "\""] : [$0] })
        return #"{"error":"\#(escaped)","status":\#(status)}"# + "\n"
    }
}
