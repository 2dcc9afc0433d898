import NIOCore
import NIOPosix
import ResetLabEventLoopExecutor
import ResetLabProxy
@testable import ResetLabProxyServer
import Testing

/// The control API's work runs on the API's own loop, so a process whose global pool is busy (a test
/// suite of blocking tests) still gets answers at once.
@Suite struct EventLoopTaskExecutorTests {
    /// Records, for every backend call, whether it ran on the expected loop.
    final class LoopRecordingBackend: ProxyBackend {
        let loop: EventLoop
        let onLoop = Locked<[Bool]>([])

        init(loop: EventLoop) {
            self.loop = loop
        }

        func startProxy(_ proxy: ProxyDefinition, toxics: [ToxicDefinition]) async throws -> String {
            self.record()
            return "127.0.0.1:40000"
        }

        func stopProxy(named: String) async { self.record() }
        func updateToxics(proxy: String, toxics: [ToxicDefinition]) async { self.record() }
        func metricsText() async -> String {
            self.record()
            return ""
        }

        private func record() {
            let here = self.loop.inEventLoop
            self.onLoop.withLock { $0.append(here) }
        }
    }

    @Test func theModelAndTheBackendRunOnTheAPILoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(eventLoop: group.next())
        let backend = LoopRecordingBackend(loop: executor.eventLoop)
        let api = ControlAPI(version: "test", backend: backend)

        let requests = [
            APIRequest(method: "POST", path: "/proxies", headers: [], body: Array(#"{"name":"a","upstream":"127.0.0.1:9"}"#.utf8)),
            APIRequest(method: "POST", path: "/proxies/a/toxics", headers: [], body: Array(#"{"type":"latency"}"#.utf8)),
            APIRequest(method: "GET", path: "/metrics", headers: [], body: []),
            APIRequest(method: "DELETE", path: "/proxies/a", headers: [], body: []),
        ]
        var statuses: [Int] = []
        for request in requests {
            statuses.append(await withTaskExecutorPreference(executor) { await api.handle(request) }.status)
        }
        try await group.shutdownGracefully()

        #expect(statuses == [201, 200, 200, 204])
        let onLoop = backend.onLoop.current
        #expect(onLoop.count == 4, "backend calls: \(onLoop)")
        #expect(onLoop.allSatisfy { $0 }, "a backend call ran off the API loop: \(onLoop)")
    }
}
