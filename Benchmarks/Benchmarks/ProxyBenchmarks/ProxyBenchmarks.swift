import Benchmark
import ResetLabProxy

/// The proxy's in-process costs: a toxic stage's work per chunk, and a control-API request.
/// The end-to-end comparison with direct connections and haproxy is scripts/bench-proxy.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput])
    let chunk = [UInt8](repeating: 0x61, count: 16 * 1024)

    Benchmark("latency toxic: 16 KB chunk") { benchmark in
        var random = SeededRandomSource(seed: 1)
        var stage = ToxicDefinition(name: "l", kind: .latency, stream: .downstream, toxicity: 1,
                                    attributes: [("latency", 10), ("jitter", 5)]).makeStage(random: &random)
        var now = ProxyInstant.zero
        for _ in benchmark.scaledIterations {
            now = now.adding(nanoseconds: 1_000)
            blackHole(stage.received(chunk, now: now))
        }
    }

    Benchmark("bandwidth toxic: 16 KB chunk") { benchmark in
        var random = SeededRandomSource(seed: 1)
        var stage = ToxicDefinition(name: "b", kind: .bandwidth, stream: .downstream, toxicity: 1,
                                    attributes: [("rate", 100_000)]).makeStage(random: &random)
        var now = ProxyInstant.zero
        for _ in benchmark.scaledIterations {
            now = now.adding(nanoseconds: 160_000)
            blackHole(stage.received(chunk, now: now))
        }
    }

    Benchmark("control API: add and remove a toxic") { benchmark in
        let api = ControlAPI(version: "bench", backend: NullBackend())
        _ = await api.handle(APIRequest(method: "POST", path: "/proxies", headers: [],
                                        body: Array(#"{"name":"p","upstream":"127.0.0.1:9"}"#.utf8)))
        let add = APIRequest(method: "POST", path: "/proxies/p/toxics", headers: [],
                             body: Array(#"{"name":"t","type":"latency","attributes":{"latency":5}}"#.utf8))
        let remove = APIRequest(method: "DELETE", path: "/proxies/p/toxics/t", headers: [], body: [])
        for _ in benchmark.scaledIterations {
            blackHole(await api.handle(add))
            blackHole(await api.handle(remove))
        }
    }
}

/// A backend that binds nothing, so the benchmark measures the API alone.
actor NullBackend: ProxyBackend {
    func startProxy(_ proxy: ProxyDefinition, toxics: [ToxicDefinition]) async throws -> String { proxy.listen }
    func stopProxy(named name: String) async {}
    func updateToxics(proxy: String, toxics: [ToxicDefinition]) async {}
    func metricsText() async -> String { "" }
}
