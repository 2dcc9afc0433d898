import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ResetLabEventLoopExecutor
import ResetLabProxy

/// A running ResetLab proxy: the Toxiproxy-compatible control API plus every proxy it manages.
///
/// Start one in a test, on port 0, and drive it through its API or the convenience methods:
///
/// ```swift
/// let server = try await ResetLabProxyServer.start()
/// let listen = try await server.createProxy(name: "db", listen: "127.0.0.1:0", upstream: "127.0.0.1:5432")
/// try await server.addToxic(to: "db", type: "reset_peer", attributes: ["timeout": 100])
/// // … run the code under test against `listen` …
/// await server.shutdown()
/// ```
public final class ResetLabProxyServer: Sendable {
    /// The version the API reports at `/version`.
    public static let version = "resetlab-0.1.0"

    private let group: MultiThreadedEventLoopGroup
    /// The control API's own thread, so proxied traffic (however heavy) never delays an API call.
    private let apiGroup: MultiThreadedEventLoopGroup
    /// Runs the API's actors on the API's thread, never on the global pool.
    private let apiExecutor: EventLoopTaskExecutor
    private let ownsGroup: Bool
    private let engine: ProxyEngine
    private let api: ControlAPI
    private let channel: Channel

    /// The control API's address, `host:port`.
    public let apiAddress: String
    /// The control API's port.
    public let apiPort: Int

    private init(
        group: MultiThreadedEventLoopGroup,
        apiGroup: MultiThreadedEventLoopGroup,
        apiExecutor: EventLoopTaskExecutor,
        ownsGroup: Bool,
        engine: ProxyEngine,
        api: ControlAPI,
        channel: Channel,
        host: String
    ) {
        self.group = group
        self.apiGroup = apiGroup
        self.apiExecutor = apiExecutor
        self.ownsGroup = ownsGroup
        self.engine = engine
        self.api = api
        self.channel = channel
        self.apiPort = channel.localAddress?.port ?? 0
        self.apiAddress = "\(host):\(self.apiPort)"
    }

    /// Starts the control API on `host:port` (port 0 picks a free one) and, if given, the proxies and toxics
    /// of a config file (Toxiproxy's format, plus `toxics`).
    /// - Throws: ``ProxyBackendError`` when the API cannot bind or the config file is invalid.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        configFile: [UInt8]? = nil,
        threads: Int = System.coreCount
    ) async throws -> ResetLabProxyServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let engine = ProxyEngine(group: group)
        let api = ControlAPI(version: Self.version, backend: engine)
        let apiGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let apiExecutor = EventLoopTaskExecutor(eventLoop: apiGroup.next())
        let bootstrap = ServerBootstrap(group: apiGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ControlHTTPHandler(api: api, executor: apiExecutor))
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            try? await group.shutdownGracefully()
            try? await apiGroup.shutdownGracefully()
            throw ProxyBackendError.listen("listen tcp \(host):\(port): \(ProxyAddress.describe(error))")
        }
        let server = ResetLabProxyServer(
            group: group, apiGroup: apiGroup, apiExecutor: apiExecutor, ownsGroup: true, engine: engine, api: api, channel: channel, host: host
        )
        if let configFile {
            do {
                _ = try await withTaskExecutorPreference(apiExecutor) {
                    try await api.populate(fromConfigFile: configFile)
                }
            } catch {
                await server.shutdown()
                throw error
            }
        }
        return server
    }

    /// Handles one API request in-process, without HTTP.
    public func handle(_ request: APIRequest) async -> APIResponse {
        await withTaskExecutorPreference(self.apiExecutor) { await self.api.handle(request) }
    }

    /// Creates a proxy; returns its resolved listen address.
    public func createProxy(name: String, listen: String = "127.0.0.1:0", upstream: String) async throws -> String {
        let body = JSONEncoderLite.object(["name": name, "listen": listen, "upstream": upstream])
        let response = await self.handle(APIRequest(method: "POST", path: "/proxies", headers: [], body: Array(body.utf8)))
        let object = try Self.decode(response, expecting: 201)
        return object["listen"] as? String ?? listen
    }

    /// Adds a toxic to a proxy.
    public func addToxic(
        to proxy: String,
        type: String,
        name: String? = nil,
        stream: String = "downstream",
        toxicity: Double = 1,
        attributes: [String: Int] = [:]
    ) async throws {
        var fields: [String: Any] = ["type": type, "stream": stream, "toxicity": toxicity, "attributes": attributes]
        if let name { fields["name"] = name }
        let body = try JSONSerialization.data(withJSONObject: fields)
        let response = await self.handle(APIRequest(method: "POST", path: "/proxies/\(proxy)/toxics", headers: [], body: Array(body)))
        _ = try Self.decode(response, expecting: 200)
    }

    /// Removes a toxic from a proxy.
    public func removeToxic(from proxy: String, named name: String) async throws {
        let response = await self.handle(APIRequest(method: "DELETE", path: "/proxies/\(proxy)/toxics/\(name)", headers: [], body: []))
        guard response.status == 204 else { throw Self.failure(response) }
    }

    /// Stops every proxy and the API, and frees the threads.
    public func shutdown() async {
        await withTaskExecutorPreference(self.apiExecutor) { await self.engine.stopAll() }
        try? await self.channel.close()
        if self.ownsGroup { try? await self.group.shutdownGracefully() }
        try? await self.apiGroup.shutdownGracefully()
    }

    /// Waits until the API's listening socket closes.
    public func waitUntilClosed() async throws {
        try await self.channel.closeFuture.get()
    }

    private static func decode(_ response: APIResponse, expecting status: Int) throws -> [String: Any] {
        guard response.status == status else { throw Self.failure(response) }
        return (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
    }

    private static func failure(_ response: APIResponse) -> ProxyBackendError {
        .listen("HTTP \(response.status): \(String(decoding: response.body, as: UTF8.self))")
    }
}

/// A tiny JSON object writer for string fields.
enum JSONEncoderLite {
    static func object(_ fields: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
