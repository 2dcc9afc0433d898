import Foundation
import Testing

/// Toxiproxy's toxics on real sockets, with generous time bounds.
@Suite struct ToxiproxyToxicTests {
    @Test func limitDataPassesTheFirstBytesThenCloses() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("limit", upstreamPort: upstream.port)
            try await harness.addToxic("limit", "limit_data", ["bytes": 10])
            let client = try harness.connect(port)
            let sent = pattern(count: 100, seed: 1)
            let (bytes, end) = try await Blocking.run {
                try client.send(sent)
                return client.readToEnd(timeout: 5_000)
            }
            #expect(bytes == Array(sent.prefix(10)))
            #expect(end == .endOfStream)
        }
    }

    @Test func timeoutDropsDataThenCloses() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("timeout", upstreamPort: upstream.port)
            try await harness.addToxic("timeout", "timeout", ["timeout": 300])
            let watch = Stopwatch()
            let client = try harness.connect(port)
            let (bytes, end) = try await Blocking.run {
                try client.send("hello")
                return client.readToEnd(timeout: 300 + 5_000)
            }
            #expect(bytes.isEmpty, "the timeout toxic let \(bytes.count) bytes through")
            #expect(end == .endOfStream)
            #expect(watch.milliseconds >= 300, "closed after \(watch.milliseconds) ms")
        }
    }

    @Test func slowCloseHoldsTheFinBack() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.upstream { socket in
                try? socket.send("bye")
                return UpstreamResult(receivedCount: 0, ending: .endOfStream)
            }
            let port = try await harness.proxy("slowclose", upstreamPort: upstream.port)
            try await harness.addToxic("slowclose", "slow_close", ["delay": 600])
            let client = try harness.connect(port)
            let (greeting, end, heldFor) = try await Blocking.run { () -> ([UInt8], ReadOutcome, Int64) in
                let greeting = try client.receive(exactly: 3, timeout: 5_000)
                let watch = Stopwatch()
                let end = client.receive(timeout: 600 + 5_000)
                return (greeting, end, watch.milliseconds)
            }
            #expect(greeting == Array("bye".utf8))
            #expect(end == .endOfStream)
            #expect(heldFor >= 500, "FIN came \(heldFor) ms after the data")
        }
    }

    @Test func latencyAddsToTheRoundTrip() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("latency", upstreamPort: upstream.port)
            let client = try await Blocking.run { try harness.connectThrough(port, upstream: upstream) }
            let before = try await Blocking.run { try Self.medianRoundTrip(client) }
            try await harness.addToxic("latency", "latency", ["latency": 200])
            let after = try await Blocking.run { try Self.medianRoundTrip(client) }
            let added = after - before
            #expect(added >= 195, "latency added \(added) ms")
            #expect(added <= 1_200, "latency added \(added) ms")
        }
    }

    @Test func bandwidthLimitsTheRate() async throws {
        try await ProxyHarness.run { harness in
            let size = 500_000
            let upstream = try harness.upstream { socket in
                try? socket.send(pattern(count: size, seed: 9))
                return UpstreamResult(receivedCount: 0, ending: .endOfStream)
            }
            let port = try await harness.proxy("bandwidth", upstreamPort: upstream.port)
            // 1000 KB/s: 500 kB take about 500 ms.
            try await harness.addToxic("bandwidth", "bandwidth", ["rate": 1_000])
            let watch = Stopwatch()
            let client = try harness.connect(port)
            let (bytes, end) = try await Blocking.run { client.readToEnd(timeout: 20_000) }
            let elapsed = watch.milliseconds
            #expect(end == .endOfStream)
            let intact = bytes == pattern(count: size, seed: 9)
            #expect(intact, "received \(bytes.count) bytes, not the \(size) sent")
            #expect(elapsed >= 400, "500 kB at 1000 KB/s took \(elapsed) ms")
            #expect(elapsed <= 5_000, "500 kB at 1000 KB/s took \(elapsed) ms")
        }
    }

    /// The median of five echo round trips, in milliseconds.
    private static func medianRoundTrip(_ client: TestSocket) throws -> Double {
        var samples: [Double] = []
        for index in 0..<5 {
            let watch = Stopwatch()
            _ = try client.roundTrip("ping \(index)")
            samples.append(Double(watch.nanoseconds) / 1_000_000)
        }
        return samples.sorted()[samples.count / 2]
    }
}

/// Toxics that hold data push back on the sender instead of buffering without bound.
@Suite struct BackPressureTests {
    /// The most a TCP socket's buffer may grow to (the third number of `net.ipv4.tcp_rmem` or `tcp_wmem`).
    static func largestBuffer(_ name: String) -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/\(name)", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).last.flatMap { Int($0) } ?? (6 << 20)
    }

    @Test func aShapedStreamSlowsTheSenderDown() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.upstream { socket in
                let (bytes, end) = socket.readToEnd(timeout: 10_000)
                return UpstreamResult(receivedCount: bytes.count, ending: end)
            }
            let port = try await harness.proxy("shaped", upstreamPort: upstream.port)
            try await harness.addToxic("shaped", "bandwidth", stream: "upstream", ["rate": 100])
            let client = try harness.connect(port)
            let pushed = Locked(0)
            let chunk = pattern(count: 65_536, seed: 7)
            let sender = Task {
                try await Blocking.run {
                    while client.sendOnce(chunk) > 0 { pushed.withLock { $0 += chunk.count } }
                }
            }
            try await Task.sleep(for: .milliseconds(1_500))
            let total = pushed.withLock { $0 }
            client.interrupt()
            _ = try? await sender.value
            // At 100 KB/s about 150 KB leave in 1.5 s; the rest that a sender can push is what the socket
            // buffers and the proxy's 1 MiB of held data take: at most the client's send buffer and the
            // proxy's receive buffer as this machine lets them grow (tcp_wmem, tcp_rmem; 4 and 32 MiB here),
            // plus a few MiB. Without back-pressure it is gigabytes.
            let bound = Self.largestBuffer("tcp_wmem") + Self.largestBuffer("tcp_rmem") + (4 << 20)
            #expect(total < bound, "the sender pushed \(total) bytes through a 100 KB/s link in 1.5 s")
            #expect(total > 0)
        }
    }
}
