import ResetLabJSON

/// Toxiproxy 2.x's HTTP control API as pure code: requests in, responses out, the real listening and
/// relaying left to a ``ProxyBackend``.
///
/// The actor owns the model (every proxy with its toxics, in creation order) and tells the backend about
/// each accepted change. Requests are handled one at a time, in arrival order, even while a backend call
/// is suspended, so two clients never see or make half-done changes.
///
/// Status codes, paths and JSON shapes are Toxiproxy's; its validation gaps are closed with 400s:
///
/// ```swift
/// let api = ControlAPI(version: "1.0.0", backend: engine)
/// let response = await api.handle(APIRequest(method: "GET", path: "/proxies"))
/// ```
public actor ControlAPI {
    /// The version string `/version` reports.
    let version: String
    /// The engine that listens and relays.
    let backend: any ProxyBackend
    /// Every proxy by name.
    var proxies: [String: ProxyState] = [:]
    /// Proxy names in creation order (the order of `GET /proxies`).
    var order: [String] = []
    /// Whether a request is being handled.
    private var busy = false
    /// Requests waiting for the one being handled, in arrival order.
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// - Parameters:
    ///   - version: ResetLab's version, reported by `GET /version`.
    ///   - backend: The engine that carries out the changes.
    public init(version: String, backend: any ProxyBackend) {
        self.version = version
        self.backend = backend
    }

    /// Every proxy with its toxics, in creation order.
    public var proxyStates: [ProxyState] {
        self.order.compactMap { self.proxies[$0] }
    }

    /// Answers one request. Never throws: every failure becomes the response Toxiproxy would send.
    /// - Parameter request: The request.
    /// - Returns: The response to send.
    public func handle(_ request: APIRequest) async -> APIResponse {
        let route: APIRoute
        switch APIRoute.match(method: request.method, target: request.path) {
        case .notFound: return .pageNotFound
        case .methodNotAllowed: return .methodNotAllowed
        case .route(let matched): route = matched
        }
        // As gorilla mux runs middleware only for matched routes, the CSRF guard comes after routing.
        if let agent = request.header("User-Agent"), agent.hasPrefix("Mozilla/") {
            return .userAgentNotAllowed
        }
        if route == .metrics {
            // Reads no model state, so it need not wait for other requests.
            return await self.metricsResponse()
        }
        await self.acquire()
        defer { self.release() }
        do throws(APIError) {
            return try await self.respond(to: route, body: request.body)
        } catch {
            return .error(error)
        }
    }

    /// Creates or replaces proxies from a `--config` file: the same JSON as `POST /populate` (an array of
    /// proxies, each optionally with `toxics`), with the same semantics.
    /// - Parameter bytes: The file's contents.
    /// - Returns: The proxies the file describes, as now running.
    /// - Throws: ``APIError`` with the reason and the entry at fault. A 400 means nothing was changed; a
    ///   500 (a listen error) means the entries before the failing one were applied.
    public func populate(fromConfigFile bytes: [UInt8]) async throws(APIError) -> [ProxyState] {
        await self.acquire()
        defer { self.release() }
        let outcome = await self.populate(body: bytes)
        if let error = outcome.error {
            throw error
        }
        return outcome.applied
    }

    /// Runs one endpoint.
    private func respond(to route: APIRoute, body: [UInt8]) async throws(APIError) -> APIResponse {
        switch route {
        case .version:
            return APIResponse(
                status: 200,
                contentType: "application/json;charset=utf-8",
                body: Array("{\"version\": \(JSONValue.string(self.version).serialized())}\n".utf8)
            )
        case .listProxies:
            return .json(200, .object(self.proxyStates.map { ($0.name, $0.jsonValue) }))
        case .createProxy:
            return .json(201, try await self.createProxy(body: body).jsonValue)
        case .populate:
            return await self.populateResponse(body: body)
        case .showProxy(let name):
            return .json(200, try self.state(of: name).jsonValue)
        case .updateProxy(let name):
            return .json(200, try await self.updateProxy(name, body: body).jsonValue)
        case .deleteProxy(let name):
            try await self.deleteProxy(name)
            return .empty(204)
        case .listToxics(let proxy):
            return .json(200, .array(try self.state(of: proxy).toxics.map(\.jsonValue)))
        case .createToxic(let proxy):
            return .json(200, try await self.createToxic(proxy, body: body).jsonValue)
        case .showToxic(let proxy, let toxic):
            return .json(200, try self.toxic(toxic, of: proxy).jsonValue)
        case .updateToxic(let proxy, let toxic):
            return .json(200, try await self.updateToxic(toxic, of: proxy, body: body).jsonValue)
        case .deleteToxic(let proxy, let toxic):
            try await self.deleteToxic(toxic, of: proxy)
            return .empty(204)
        case .reset:
            try await self.reset()
            return .empty(204)
        case .metrics:
            return await self.metricsResponse()
        }
    }

    /// The backend's metrics as Prometheus text.
    private func metricsResponse() async -> APIResponse {
        APIResponse(
            status: 200,
            contentType: APIResponse.metricsContentType,
            body: Array(await self.backend.metricsText().utf8)
        )
    }

    /// The proxy with this name.
    /// - Throws: 404 `proxy not found`.
    func state(of name: String) throws(APIError) -> ProxyState {
        guard let state = self.proxies[name] else { throw .proxyNotFound }
        return state
    }

    /// Stores a proxy, keeping its place in the order if it existed.
    func store(_ state: ProxyState) {
        if self.proxies.updateValue(state, forKey: state.name) == nil {
            self.order.append(state.name)
        }
    }

    /// Asks the backend to open a proxy's listener.
    /// - Returns: The address bound.
    /// - Throws: 409 when the address is in use, 500 for any other listen failure, with the backend's message.
    func start(_ definition: ProxyDefinition, toxics: [ToxicDefinition]) async throws(APIError) -> String {
        do {
            return try await self.backend.startProxy(definition, toxics: toxics)
        } catch let error as ProxyBackendError {
            guard error.status == 500 else { throw APIError(status: error.status, message: error.message) }
            throw .backend(error.message)
        } catch {
            throw .backend(String(describing: error))
        }
    }

    /// Waits until no other request is being handled.
    private func acquire() async {
        guard self.busy else {
            self.busy = true
            return
        }
        await withCheckedContinuation { continuation in
            self.waiters.append(continuation)
        }
    }

    /// Hands over to the next waiting request, if any.
    private func release() {
        if self.waiters.isEmpty {
            self.busy = false
        } else {
            self.waiters.removeFirst().resume()
        }
    }
}
