import Testing

@testable import ResetLabCapture

/// pcapng: section headers in either byte order, several interfaces with their own link types and
/// timestamp units, enhanced, simple and obsolete packet blocks, blocks to skip, and corruption.
@Suite struct PcapngReaderTests {
    static let ethernetFrame = FrameBuilder.ethernet(FrameBuilder.ipv4(FrameBuilder.tcp(.init())))
    static let cookedFrame = FrameBuilder.linuxSLL(FrameBuilder.ipv4(FrameBuilder.tcp(.init(flags: .ack, payload: 7))))

    @Test(arguments: [false, true])
    func readsInterfacesAndPacketBlocks(bigEndian: Bool) throws {
        let file = CaptureFileBuilder.pcapngSection(
            interfaces: [.init(linkType: 1), .init(linkType: 113, resolution: 9)],
            blocks: [
                .enhanced(.init(bytes: Self.ethernetFrame, timestamp: 1_700_000_000_000_001_000, interface: 0)),
                .unknown(type: 5, body: [1, 2, 3, 4]),  // interface statistics: skipped
                .enhanced(.init(bytes: Self.cookedFrame, timestamp: 1_700_000_000_000_000_123, interface: 1)),
                .obsoletePacket(.init(bytes: Self.ethernetFrame, timestamp: 1_700_000_002_000_000_000, interface: 0)),
                .simple(Self.ethernetFrame),
            ],
            bigEndian: bigEndian)
        let (frames, error) = readAll(file)
        #expect(error == nil)
        try #require(frames.count == 4)
        #expect(frames.map(\.interface) == [0, 1, 0, 0])
        #expect(frames.map(\.linkType) == [.ethernet, .linuxSLL, .ethernet, .ethernet])
        #expect(frames[0].timestamp == 1_700_000_000_000_001_000)
        #expect(frames[1].timestamp == 1_700_000_000_000_000_123, "nanosecond interface")
        #expect(frames[2].timestamp == 1_700_000_002_000_000_000)
        // A simple packet block carries no time: it takes the previous packet's.
        #expect(frames[3].timestamp == frames[2].timestamp)
        #expect(frames[1].packet.segment?.payloadLength == 7)
        #expect(frames.allSatisfy { $0.packet.segment != nil })
    }

    @Test(arguments: [UInt8(3), UInt8(6), UInt8(9), UInt8(10), UInt8(0x80 | 20)])
    func timestampResolutionsConvertToNanoseconds(_ resolution: UInt8) throws {
        let time: Int64 = 1_700_000_000_250_000_000
        let file = CaptureFileBuilder.pcapngSection(
            interfaces: [.init(linkType: 1, resolution: resolution)],
            blocks: [.enhanced(.init(bytes: Self.ethernetFrame, timestamp: time))])
        let (frames, error) = readAll(file)
        #expect(error == nil)
        let read = try #require(frames.first?.timestamp)
        #expect(abs(read - time) < 2_000, "resolution \(resolution): \(read) vs \(time)")
    }

    @Test func aSecondSectionStartsOverWithItsOwnInterfacesAndByteOrder() {
        let first = CaptureFileBuilder.pcapngSection(
            interfaces: [.init(linkType: 1)], blocks: [.enhanced(.init(bytes: Self.ethernetFrame))])
        let second = CaptureFileBuilder.pcapngSection(
            interfaces: [.init(linkType: 113)], blocks: [.enhanced(.init(bytes: Self.cookedFrame))], bigEndian: true)
        let (frames, error) = readAll(first + second, chunk: 9)
        #expect(error == nil)
        #expect(frames.map(\.linkType) == [.ethernet, .linuxSLL])
        #expect(frames.map(\.index) == [1, 2])
    }

    @Test func aPacketOnAnUndescribedInterfaceIsAnError() {
        var file = CaptureFileBuilder.pcapngSection(
            interfaces: [.init(linkType: 1)], blocks: [.enhanced(.init(bytes: Self.ethernetFrame))])
        // Point the packet block's interface ID (right after its type and length) at interface 3.
        let blockStart = file.count - (28 + Self.ethernetFrame.count + 2 + 4)
        file[blockStart + 8] = 3
        let (frames, error) = readAll(file)
        #expect(frames.isEmpty)
        #expect(error?.reason.contains("refers to interface 3") == true, "\(error?.reason ?? "")")
        #expect(error?.offset == blockStart)
    }

    @Test func aBlockWhoseLengthsDisagreeIsCorrupt() throws {
        var file = CaptureFileBuilder.pcapngSection(
            interfaces: [.init(linkType: 1)], blocks: [.enhanced(.init(bytes: Self.ethernetFrame))])
        file[file.count - 4] ^= 0x04  // the trailing copy of the last block's length
        let (_, error) = readAll(file)
        let failure = try #require(error)
        #expect(failure.reason.contains("says it is"))
        #expect(failure.reason.contains("at its start but"))
    }

    @Test func aLengthThatIsNoMultipleOfFourIsCorrupt() {
        var file = CaptureFileBuilder.pcapngSection(interfaces: [.init(linkType: 1)], blocks: [])
        file += [6, 0, 0, 0, 0x21, 0, 0, 0] + [UInt8](repeating: 0, count: 30)
        let (_, error) = readAll(file)
        #expect(error?.reason.contains("not a multiple of 4") == true)
    }

    @Test func aBadByteOrderMagicIsReported() {
        var file = CaptureFileBuilder.pcapngSection(interfaces: [], blocks: [])
        file[8] = 0x99
        let (_, error) = readAll(file)
        #expect(error?.offset == 0)
        #expect(error?.reason.contains("byte-order magic") == true)
    }

    @Test func aTruncatedBlockKeepsEverythingBeforeIt() {
        let file = CaptureFileBuilder.pcapngSection(
            interfaces: [.init(linkType: 1)],
            blocks: [.enhanced(.init(bytes: Self.ethernetFrame)), .enhanced(.init(bytes: Self.ethernetFrame))])
        let (frames, error) = readAll(Array(file.dropLast(10)), chunk: 13)
        #expect(frames.count == 1)
        #expect(error?.reason.contains("truncated pcapng block") == true)
    }
}
