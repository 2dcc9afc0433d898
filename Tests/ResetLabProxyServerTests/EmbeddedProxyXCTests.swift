import ResetLabProxyServer
import XCTest

/// The embedded proxy from an XCTest test case, as a project that still uses XCTest would write it.
final class EmbeddedProxyXCTests: XCTestCase {
    func testAResetPeerToxicResetsTheConnection() async throws {
        let upstream = try UpstreamServer.echo()
        defer { upstream.stop() }
        let server = try await ResetLabProxyServer.start()
        let listen = try await server.createProxy(name: "xctest", upstream: "127.0.0.1:\(upstream.port)")
        let client = try TestSocket.connect(port: try ProxyHarness.port(of: listen))
        defer { client.close() }
        let echoed = try await Blocking.run { try client.roundTrip("ping") }
        XCTAssertEqual(echoed, "ping")
        try await server.addToxic(to: "xctest", type: "reset_peer", attributes: ["timeout": 50])
        let outcome = try await Blocking.run { client.receive(timeout: 5_000) }
        XCTAssertEqual(outcome, .failed(ECONNRESET))
        await server.shutdown()
    }
}
