import Foundation
import ResetLabProxyServer

/// An in-process ResetLab proxy server on 127.0.0.1 port 0, with the upstreams and client sockets a test
/// made through it. ``run(configFile:_:)`` tears everything down, whether the test passed or threw.
final class ProxyHarness: Sendable {
    let server: ResetLabProxyServer
    private let upstreams = Locked<[UpstreamServer]>([])
    private let sockets = Locked<[TestSocket]>([])

    private init(server: ResetLabProxyServer) {
        self.server = server
    }

    var apiPort: Int { self.server.apiPort }

    static func run<T>(configFile: [UInt8]? = nil, _ body: (ProxyHarness) async throws -> T) async throws -> T {
        let harness = ProxyHarness(server: try await ResetLabProxyServer.start(port: 0, configFile: configFile))
        do {
            let result = try await body(harness)
            await harness.stop()
            return result
        } catch {
            await harness.stop()
            throw error
        }
    }

    /// Closes the client sockets, stops the server, then the upstreams.
    func stop() async {
        for socket in self.sockets.withLock({ $0 }) { socket.close() }
        await self.server.shutdown()
        let upstreams = self.upstreams.withLock { $0 }
        _ = try? await Blocking.run { for upstream in upstreams { upstream.stop() } }
    }

    // MARK: Upstreams, proxies, clients

    /// Registers an upstream for teardown.
    @discardableResult
    func keep(_ upstream: UpstreamServer) -> UpstreamServer {
        self.upstreams.withLock { $0.append(upstream) }
        return upstream
    }

    func echoUpstream() throws -> UpstreamServer {
        self.keep(try UpstreamServer.echo())
    }

    func upstream(_ handler: @escaping UpstreamServer.Handler) throws -> UpstreamServer {
        self.keep(try UpstreamServer(handler: handler))
    }

    /// Creates a proxy listening on 127.0.0.1 port 0; returns its port.
    func proxy(_ name: String, upstreamPort: Int) async throws -> Int {
        let listen = try await self.server.createProxy(name: name, upstream: "127.0.0.1:\(upstreamPort)")
        return try Self.port(of: listen)
    }

    static func port(of address: String) throws -> Int {
        guard let text = address.split(separator: ":").last, let port = Int(text) else {
            throw HTTPParseError(what: "listen address", text: address)
        }
        return port
    }

    /// Connects a client to 127.0.0.1:`port` (blocking); closed at teardown if the test does not.
    func connect(_ port: Int) throws -> TestSocket {
        let socket = try TestSocket.connect(port: port)
        self.sockets.withLock { $0.append(socket) }
        return socket
    }

    /// Connects to the proxy and waits until the proxy's upstream connection is accepted.
    func connectThrough(_ port: Int, upstream: UpstreamServer) throws -> TestSocket {
        let before = upstream.acceptedCount
        let socket = try self.connect(port)
        guard upstream.waitForConnections(before + 1) else {
            throw SocketError(operation: "upstream connection through proxy port \(port)", code: ETIMEDOUT)
        }
        return socket
    }

    // MARK: Control API over HTTP

    func api(_ method: String, _ path: String, body: String? = nil) async throws -> HTTPResponse {
        let port = self.apiPort
        return try await Blocking.run { try ControlHTTP.request(port: port, method, path, body: body) }
    }

    func metrics() async throws -> MetricsText {
        MetricsText(text: try await self.api("GET", "/metrics").body)
    }

    func addToxic(
        _ proxy: String,
        _ type: String,
        stream: String = "downstream",
        _ attributes: [String: Int]
    ) async throws {
        try await self.server.addToxic(to: proxy, type: type, stream: stream, attributes: attributes)
    }
}
