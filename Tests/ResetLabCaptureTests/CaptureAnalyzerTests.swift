import Testing

@testable import ResetLabCapture

/// The whole path from capture bytes to records: segments wait a couple of packets in the analyzer's
/// pipeline before they are followed, and none may be lost or reordered on the way.
@Suite struct CaptureAnalyzerTests {
    static func analyze(
        _ bytes: [UInt8]
    ) -> (records: [ConnectionRecord], statistics: CaptureStatistics, error: (any Error)?) {
        var analyzer = CaptureAnalyzer()
        var records: [ConnectionRecord] = []
        let error = analyzer.run(BytesSource(bytes)) { record, _ in records.append(record) }
        return (records, analyzer.statistics, error)
    }

    @Test func theLastSegmentsBeforeACutAreStillFollowed() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("FA")
        conversation.server("FA")
        conversation.client("A")
        // A record header that promises 100 bytes, followed by 10.
        let cut = [UInt8](repeating: 0, count: 8) + FrameBuilder.le32(100) + FrameBuilder.le32(100)
            + [UInt8](repeating: 0, count: 10)
        let result = Self.analyze(CaptureFileBuilder.pcap(conversation.segments.map(CaptureFileBuilder.frame)) + cut)
        #expect(result.error is CaptureReadError)
        let record = try #require(result.records.first)
        #expect(result.records.count == 1)
        // The server's FIN and the client's last ACK were still waiting when the cut was found.
        #expect(record.fromOriginator.packets == 4)
        #expect(record.fromResponder.packets == 2)
        #expect(record.zeekState == .sf)
        #expect(record.verdict == .cleanClose)
    }

    @Test func everyFrameIsCountedWhateverItCarries() {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 10)
        conversation.server("R")
        var frames = conversation.segments.map(CaptureFileBuilder.frame)
        let udp = FrameBuilder.ethernet(FrameBuilder.ipv4([0, 53, 0, 53, 0, 8, 0, 0], protocolNumber: 17))
        frames.insert(.init(bytes: udp, timestamp: conversation.segments[0].timestamp), at: 1)
        frames.insert(.init(bytes: [2, 0, 0], timestamp: conversation.segments[0].timestamp), at: 3)
        let result = Self.analyze(CaptureFileBuilder.pcap(frames))
        #expect(result.error == nil)
        #expect(result.statistics.frames == 7)
        #expect(result.statistics.tcpSegments == 5)
        #expect(result.statistics.otherPackets == 1)
        #expect(result.statistics.malformedPackets == 1)
        #expect(result.statistics.malformedExamples.map(\.frame) == [4])
        #expect(result.statistics.firstTimestamp == conversation.segments.first?.timestamp)
        #expect(result.statistics.lastTimestamp == conversation.segments.last?.timestamp)
        #expect(result.records.map(\.verdict) == [.resetMidTransfer(byServer: true, bytesInFlight: 10)])
    }

    @Test func aReusedPortRightAfterAnEndIsANewConnectionInOrder() {
        // Connections follow each other on one 4-tuple closer than the pipeline is deep.
        var conversation = Conversation()
        for round in 0..<3 {
            conversation.clientNext = 1000 + UInt32(round) * 100_000
            conversation.client("S")
            conversation.server("R")
        }
        let result = Self.analyze(CaptureFileBuilder.pcap(conversation.segments.map(CaptureFileBuilder.frame)))
        #expect(result.records.map(\.verdict) == [.refused, .refused, .refused])
        #expect(result.records.map(\.id) == [1, 2, 3])
        #expect(result.records.map(\.start) == [0, 2, 4].map { conversation.segments[$0].timestamp })
    }
}
