import Foundation
import Testing

/// Data through a proxy without toxics, and the live counters at `/metrics`.
@Suite struct PassThroughTests {
    @Test func carriesOneMegabyteEachWayIntact() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("bulk", upstreamPort: upstream.port)
            let client = try harness.connect(port)
            let sent = pattern(count: 1 << 20, seed: 7)
            // Write and read at the same time: neither side's buffers can hold a megabyte.
            let writer = Task {
                try await Blocking.run {
                    try client.send(sent)
                    try client.shutdownWrite()
                }
            }
            let (received, end) = try await Blocking.run { client.readToEnd(timeout: 30_000) }
            try await writer.value
            #expect(end == .endOfStream)
            #expect(received.count == sent.count)
            let intact = received == sent
            #expect(intact, "the echoed megabyte differs from what was sent")
            let results = try await Blocking.run { upstream.waitForResults(1) }
            #expect(results?.first?.receivedCount == sent.count)
            #expect(results?.first?.ending == .endOfStream)
        }
    }

    @Test func metricsCountBytesWhileTheConnectionIsOpen() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("live", upstreamPort: upstream.port)
            let client = try harness.connect(port)
            let sent = pattern(count: 10_000, seed: 3)
            let echoed = try await Blocking.run {
                try client.send(sent)
                return try client.receive(exactly: sent.count, timeout: 5_000)
            }
            #expect(echoed == sent)
            // The connection stays open: the counters must already include its bytes.
            let metrics = try await harness.metrics()
            let proxy = ["proxy": "live"]
            for direction in ["upstream", "downstream"] {
                let labels = proxy.merging(["direction": direction]) { $1 }
                #expect(metrics.value("toxiproxy_proxy_received_bytes_total", labels) == 10_000)
                #expect(metrics.value("toxiproxy_proxy_sent_bytes_total", labels) == 10_000)
            }
            #expect(metrics.value("resetlab_proxy_connections_open", proxy) == 1)
            #expect(metrics.value("resetlab_proxy_connections_total", proxy) == 1)
            #expect(client.tcpState == TCPState.established)
        }
    }
}
