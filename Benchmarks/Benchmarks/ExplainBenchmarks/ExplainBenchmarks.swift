import Benchmark
import ResetLabCatalog
import ResetLabExplain

/// A 200-character log line of the kind people paste: timestamp, thread, exception, message.
let pastedLogLine =
    "2026-11-25 10:54:02,113 ERROR [pool-3-thread-7] c.e.OrderClient - send failed to orders.internal:7443 "
    + "after 3 retries: java.net.SocketException: Connection reset by peer (errno 104) writing batch 4242"

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput])

    let catalog: Catalog
    do {
        catalog = try Catalog.embedded()
    } catch {
        fatalError("the embedded catalog does not parse: \(error)")
    }
    let explainer = Explainer(catalog: catalog)
    precondition(pastedLogLine.utf8.count == 200, "the log line must be 200 characters, is \(pastedLogLine.utf8.count)")
    precondition(explainer.explain(pastedLogLine).matches.first?.condition.id == "connection-reset")

    Benchmark("Explain a pasted 200-character log line") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(explainer.explain(pastedLogLine))
        }
    }

    Benchmark("Explain 10054") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(explainer.explain("10054"))
        }
    }

    Benchmark("Parse the embedded catalog") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Catalog.embedded())
        }
    }
}
