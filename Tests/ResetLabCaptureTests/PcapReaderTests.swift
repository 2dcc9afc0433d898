import Testing

@testable import ResetLabCapture

/// The classic pcap format: both timestamp units, both byte orders, reads split anywhere, and every way a
/// file can be broken.
@Suite struct PcapReaderTests {
    static let syn = FrameBuilder.ethernet(FrameBuilder.ipv4(FrameBuilder.tcp(.init())))
    static let data = FrameBuilder.ethernet(FrameBuilder.ipv4(FrameBuilder.tcp(.init(flags: [.psh, .ack], payload: 100))))

    static var frames: [CaptureFileBuilder.Frame] {
        [
            .init(bytes: syn, timestamp: 1_700_000_000_123_456_000),
            .init(bytes: data, timestamp: 1_700_000_001_000_001_000),
        ]
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func readsEveryFlavour(nanoseconds: Bool, bigEndian: Bool) throws {
        var frames = Self.frames
        if nanoseconds { frames[1].timestamp = 1_700_000_001_000_000_789 }
        let file = CaptureFileBuilder.pcap(frames, nanoseconds: nanoseconds, bigEndian: bigEndian)
        let (read, error) = readAll(file)
        #expect(error == nil)
        try #require(read.count == 2)
        #expect(read.map(\.timestamp) == frames.map(\.timestamp))
        #expect(read.map(\.index) == [1, 2])
        #expect(read[0].linkType == .ethernet)
        #expect(read[1].bytes == Self.data)
        #expect(read[0].fileOffset == 24)
        #expect(read[1].fileOffset == 24 + 16 + Self.syn.count)
        #expect(read[1].packet.segment?.payloadLength == 100)
    }

    @Test(arguments: [1, 3, 7, 16, 17, 100])
    func readsSplitAnywhereGiveTheSameFrames(chunk: Int) {
        let file = CaptureFileBuilder.pcap(Array(repeating: Self.frames, count: 20).flatMap { $0 })
        let whole = readAll(file)
        let split = readAll(file, chunk: chunk, chunkSize: 64)
        #expect(split.error == nil)
        #expect(split.frames == whole.frames)
        #expect(whole.frames.count == 40)
    }

    @Test func aRecordLargerThanTheBufferGrowsIt() {
        let big = FrameBuilder.ethernet(FrameBuilder.ipv4(FrameBuilder.tcp(.init(flags: .ack, payload: 9000))))
        let (read, error) = readAll(CaptureFileBuilder.pcap([.init(bytes: big)]), chunkSize: 64)
        #expect(error == nil)
        #expect(read.first?.packet.segment?.payloadLength == 9000)
    }

    @Test func theOriginalLengthIsKeptWhenTheSnapLengthCutTheFrame() {
        let cut = Array(Self.data.prefix(70))
        let (read, _) = readAll(CaptureFileBuilder.pcap([.init(bytes: cut, originalLength: Self.data.count)]))
        #expect(read.first?.originalLength == Self.data.count)
        // The IP header still says 100 bytes of payload: that is what counts, not what was kept.
        #expect(read.first?.packet.segment?.payloadLength == 100)
    }

    @Test func emptyInputSaysSo() {
        let (_, error) = readAll([])
        #expect(error?.offset == 0)
        #expect(error?.reason.contains("empty") == true)
    }

    @Test(arguments: [
        (Array("1234 IP 10.0.0.1 > 10.0.0.2".utf8), "text"),
        ([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0], "gzip"),
        ([0x25, 0x50, 0x44, 0x46, 0x2d], "PDF"),
        ([0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0], "de ad be ef"),
    ] as [([UInt8], String)])
    func notACaptureIsNamed(_ bytes: [UInt8], _ hint: String) {
        let (frames, error) = readAll(bytes)
        #expect(frames.isEmpty)
        #expect(error?.offset == 0)
        #expect(error?.reason.contains("not a pcap or pcapng file") == true)
        #expect(error?.reason.contains(hint) == true, "\(error?.reason ?? "")")
    }

    @Test func aTruncatedFileHeaderIsReported() {
        let file = Array(CaptureFileBuilder.pcap([]).prefix(10))
        let (_, error) = readAll(file)
        #expect(error?.reason == "truncated pcap file header: the file ends after 10 of its 24 bytes")
    }

    @Test func aTruncatedRecordKeepsEverythingBeforeIt() throws {
        let file = CaptureFileBuilder.pcap(Self.frames)
        let cut = Array(file.dropLast(20))
        let (read, error) = readAll(cut, chunk: 5)
        #expect(read.count == 1)
        let failure = try #require(error)
        #expect(failure.offset == 24 + 16 + Self.syn.count)
        #expect(failure.frame == 2)
        #expect(failure.reason.contains("truncated record at byte \(failure.offset) (frame 2)"))
        #expect(failure.reason.contains("says \(Self.data.count) bytes but the file ends after \(Self.data.count - 20)"))
    }

    @Test func aTruncatedRecordHeaderIsReported() {
        let file = CaptureFileBuilder.pcap(Self.frames)
        let cut = Array(file.prefix(24 + 16 + Self.syn.count + 5))
        let (read, error) = readAll(cut)
        #expect(read.count == 1)
        #expect(error?.reason.contains("truncated record header") == true)
        #expect(error?.reason.contains("5 of its 16 bytes") == true)
    }

    @Test func anImpossibleRecordLengthIsCorruption() {
        var file = CaptureFileBuilder.pcap(Self.frames)
        // The first record's captured length: 0x7fffffff.
        file.replaceSubrange(32..<36, with: [0xff, 0xff, 0xff, 0x7f])
        let (read, error) = readAll(file)
        #expect(read.isEmpty)
        #expect(error?.offset == 24)
        #expect(error?.reason.contains("above the 256 MiB limit") == true)
    }
}
