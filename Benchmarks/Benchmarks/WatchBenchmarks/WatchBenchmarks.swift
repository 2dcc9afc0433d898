import Benchmark
import ResetLabWatch

/// What the kernel prints for one refused connect on loopback (kernel 6.18, inet_sock_set_state filtered
/// as `resetlab watch` filters it): the state change into SYN_SENT, the RST sent, the RST received.
let refusedConnectLines = [
    "    reset-storm-25897   [001] ..... 21650.120001: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=0 dport=41325 saddr=0.0.0.0 daddr=127.0.0.1 saddrv6=:: daddrv6=::ffff:127.0.0.1 oldstate=TCP_CLOSE newstate=TCP_SYN_SENT",
    "    reset-storm-25897   [001] b.s3. 21650.120004: tcp_send_reset: skbaddr=000000004181cccd skaddr=0000000000000000 src=127.0.0.1:41325 dest=127.0.0.1:50144 state=UNKNOWN reason=NO_SOCKET",
    "    reset-storm-25897   [001] ..... 21650.120006: tcp_receive_reset: family=AF_INET sport=50144 dport=41325 saddr=127.0.0.1 daddr=127.0.0.1 saddrv6=::ffff:127.0.0.1 daddrv6=::ffff:127.0.0.1 sock_cookie=2f1a",
]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput])

    let text = String(repeating: refusedConnectLines.joined(separator: "\n") + "\n", count: 1_000)
    let owner = SocketOwner(pid: 25897, command: "reset-storm", evidence: .ownSystemCall)

    // One iteration: 1,000 refused connects (3,000 lines, 2,000 resets) from text to JSON Lines, the
    // watch's whole per-event work but for the reading and writing. 50,000 resets a second needs 25
    // iterations a second on the reading thread.
    Benchmark("Trace text to JSON Lines, 1,000 refused connects") { benchmark in
        for _ in benchmark.scaledIterations {
            var trail = ConnectionTrail()
            var summary = WatchSummary()
            var output: [UInt8] = []
            output.reserveCapacity(1 << 20)
            TraceLine.forEach(in: text) { line in
                guard let event = KernelEvent(line) else { return true }
                switch event.kind {
                case .stateChanged, .retransmitted:
                    trail.record(event)
                case .sentReset, .receivedReset:
                    let attribution = OwnerAttribution(event) { _ in owner }
                    let shown = WatchLine(event: event, wallTime: event.timestamp, attribution: attribution, trail: trail.take(for: event.ends))
                    summary.add(shown)
                    shown.json.write(to: &output)
                    output.append(UInt8(ascii: "\n"))
                }
                return true
            }
            blackHole((output, summary))
        }
    }

    Benchmark("Parse one tcp_send_reset line") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(TraceLine(refusedConnectLines[1][...]).flatMap(KernelEvent.init))
        }
    }
}
