import Benchmark
import ResetLabCapture

/// Reading, decoding and following the 200,000 packets of an in-memory pcap (see `SyntheticCapture`): one
/// benchmark iteration is one pass over the whole capture, so packets per second are the throughput
/// metric times 200,000. `scripts/bench-capture` runs the same work on a 2.3 M-packet file, in one run
/// with tshark and tcptrace.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .throughput],
        maxDuration: .seconds(10)
    )
    let capture = SyntheticCapture.pcap(packets: 200_000, live: 2_000)

    Benchmark("Analyze 200,000 packets: read, decode, follow and classify every connection") { benchmark in
        for _ in benchmark.scaledIterations {
            var analyzer = CaptureAnalyzer()
            var connections = 0
            _ = analyzer.run(BytesSource(capture)) { _, _ in connections += 1 }
            blackHole(connections)
        }
    }

    Benchmark("Read and decode 200,000 packets, no connection tracking") { benchmark in
        for _ in benchmark.scaledIterations {
            var reader = CaptureReader(source: BytesSource(capture))
            var segments = 0
            try reader.readFrames { frame in
                if case .tcp = PacketDecoder.decode(frame) { segments += 1 }
            }
            blackHole(segments)
        }
    }
}
