import Testing

@testable import ResetLabCapture

/// Mutated captures, thousands of them, through the whole pipeline (reader, decoder, tracker, reports):
/// nothing may crash or hang, and every error must name an offset inside the input.
@Suite struct ReaderFuzzTests {
    /// SplitMix64: a small seeded generator, so that a failure can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9e37_79b9_7f4a_7c15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    static var seeds: [[UInt8]] {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 20)
        conversation.server("FA")
        conversation.client("PA", 2)
        conversation.server("R")
        let frames = conversation.segments.map(CaptureFileBuilder.frame)
        let ipv6 = FrameBuilder.linuxSLL2(FrameBuilder.ipv6(FrameBuilder.tcp(.init(payload: 5)), extensions: [(0, [0, 0, 1, 4, 0, 0, 0, 0])]), protocolType: 0x86dd)
        return [
            CaptureFileBuilder.pcap(frames),
            CaptureFileBuilder.pcap(frames, nanoseconds: true, bigEndian: true),
            CaptureFileBuilder.pcapngSection(
                interfaces: [.init(linkType: 1), .init(linkType: 276, resolution: 9)],
                blocks: frames.map { .enhanced($0) } + [.enhanced(.init(bytes: ipv6, interface: 1)), .simple(frames[0].bytes)]),
        ]
    }

    @Test(arguments: 0..<3)
    func mutatedCapturesNeverCrash(seedIndex: Int) {
        let seed = Self.seeds[seedIndex]
        var generator = SeededGenerator(state: UInt64(seedIndex + 1) &* 0x1234_5678)
        for iteration in 0..<3_000 {
            var bytes = seed
            for _ in 0...Int.random(in: 0..<4, using: &generator) {
                switch Int.random(in: 0..<5, using: &generator) {
                case 0:  // flip a byte
                    let at = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[at] = UInt8.random(in: 0...255, using: &generator)
                case 1:  // cut the file
                    bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
                case 2:  // insert junk
                    let at = Int.random(in: 0...bytes.count, using: &generator)
                    bytes.insert(contentsOf: (0..<Int.random(in: 1...9, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: at)
                case 3:  // set a 32-bit field to an extreme
                    if bytes.count >= 4 {
                        let at = Int.random(in: 0...(bytes.count - 4), using: &generator)
                        let value: [UInt8] = [[0xff, 0xff, 0xff, 0xff], [0, 0, 0, 0], [0xff, 0xff, 0xff, 0x7f], [1, 0, 0, 0]][Int.random(in: 0..<4, using: &generator)]
                        bytes.replaceSubrange(at..<(at + 4), with: value)
                    }
                default:  // duplicate a stretch
                    if !bytes.isEmpty {
                        let from = Int.random(in: 0..<bytes.count, using: &generator)
                        let length = min(Int.random(in: 1...64, using: &generator), bytes.count - from)
                        bytes.insert(contentsOf: bytes[from..<(from + length)], at: from)
                    }
                }
                if bytes.isEmpty { break }
            }
            let run = CaptureReportRun(format: .json, filter: ConnectionFilter(), keepForHTML: true)
            var output = 0
            let outcome = run.run(BytesSource(bytes, maximumChunk: 1 + iteration % 50), name: "fuzz") { output += $0.utf8.count }
            #expect(output > 0)
            let page = CaptureHTMLReport().render(
                title: "fuzz", summary: outcome.summary, statistics: outcome.statistics,
                connections: outcome.keptConnections, ladders: outcome.ladders, listedLimit: 100)
            #expect(page.hasSuffix("</html>\n"))
            for ladder in outcome.ladders { _ = ladder.render() }
            if let error = outcome.error as? CaptureReadError {
                #expect(error.offset >= 0 && error.offset <= bytes.count, "iteration \(iteration): \(error)")
                #expect(!error.reason.isEmpty)
            } else {
                #expect(outcome.error == nil, "iteration \(iteration): \(String(describing: outcome.error))")
            }
            #expect(outcome.statistics.frames <= bytes.count / 12 + 1)
        }
    }
}
