import Foundation
import Testing

@testable import ResetLabCapture

/// Regular files are mapped a window at a time and lent in place; pipes are copied. Both must hand out the
/// same frames, including records that straddle two windows, and the same error at the same offset.
@Suite struct FileDescriptorSourceTests {
    static let frameCount = 6_000
    /// About 5 MB of frames of varying sizes, so that records straddle windows, which start on 2 MiB
    /// boundaries whatever the window size asked for.
    static let file: [UInt8] = {
        var frames: [CaptureFileBuilder.Frame] = []
        for index in 0..<Self.frameCount {
            let port = UInt16(30_000 + index % 50)
            let payload: Int = 100 + index * 7 % 1300
            let tcp = FrameBuilder.tcp(FrameBuilder.TCP(sourcePort: port, flags: [.psh, .ack], payload: payload))
            let time: Int64 = 1_700_000_000_000_000_000 + Int64(index) * 1_000
            frames.append(CaptureFileBuilder.Frame(bytes: FrameBuilder.ethernet(FrameBuilder.ipv4(tcp)), timestamp: time))
        }
        return CaptureFileBuilder.pcap(frames)
    }()

    func frames(from descriptor: Int32, windowSize: Int) -> (count: Int, payload: Int, error: CaptureReadError?) {
        var reader = CaptureReader(source: FileDescriptorSource(fileDescriptor: descriptor, windowSize: windowSize))
        var count = 0
        var payload = 0
        do {
            try reader.readFrames { frame in
                count += 1
                payload += PacketDecoder.decode(frame).segment?.payloadLength ?? 0
            }
            return (count, payload, nil)
        } catch {
            return (count, payload, error as? CaptureReadError)
        }
    }

    func withFile<T>(_ bytes: [UInt8], _ body: (Int32) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resetlab-source-\(UUID().uuidString).pcap").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        return try body(descriptor)
    }

    @Test func aMappedFileReadsLikeMemoryAcrossWindows() throws {
        let expected = readAll(Self.file)
        let payload = expected.frames.reduce(0) { $0 + ($1.packet.segment?.payloadLength ?? 0) }
        let mapped = try self.withFile(Self.file) { self.frames(from: $0, windowSize: 1 << 16) }
        #expect(mapped.error == nil)
        #expect(mapped.count == Self.frameCount)
        #expect(mapped.payload == payload)
    }

    @Test func aPipeIsCopiedAndGivesTheSameFrames() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        let writer = Thread { [bytes = Self.file, fd = descriptors[1]] in
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    guard let base = raw.baseAddress else { break }
                    let written = write(fd, base + offset, raw.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
            close(fd)
        }
        writer.start()
        let piped = self.frames(from: descriptors[0], windowSize: 1 << 16)
        close(descriptors[0])
        #expect(piped.error == nil)
        #expect(piped.count == Self.frameCount)
    }

    @Test func aCutMappedFileStopsAtTheSameOffsetAsMemory() throws {
        let cut = Array(Self.file.dropLast(100))
        let expected = readAll(cut)
        let mapped = try self.withFile(cut) { self.frames(from: $0, windowSize: 1 << 16) }
        #expect(mapped.count == expected.frames.count)
        #expect(mapped.error == expected.error)
        #expect(mapped.error != nil)
    }

    @Test func windowsStartOnHugePageBoundariesInTheFileAndInMemory() throws {
        #expect(Self.file.count > 2 * FileDescriptorSource.windowAlignment)
        try self.withFile(Self.file) { descriptor in
            let source = FileDescriptorSource(fileDescriptor: descriptor, windowSize: 1 << 16)
            for offset in [0, 4_097, FileDescriptorSource.windowAlignment + 12_345, Self.file.count - 100] {
                let lent = try #require(try source.lend(from: offset, atLeast: 100))
                let address = try #require(lent.baseAddress)
                let windowStart = Int(bitPattern: address) - offset % FileDescriptorSource.windowAlignment
                #expect(windowStart % FileDescriptorSource.windowAlignment == 0, "offset \(offset)")
                #expect(lent.count >= 100)
                #expect(Array(lent.prefix(100)) == Array(Self.file[offset..<(offset + 100)]), "offset \(offset)")
            }
        }
    }

    @Test func anEmptyFileIsEmptyInput() throws {
        let mapped = try self.withFile([]) { self.frames(from: $0, windowSize: 1 << 16) }
        #expect(mapped.count == 0)
        #expect(mapped.error?.reason.contains("empty") == true)
    }
}
