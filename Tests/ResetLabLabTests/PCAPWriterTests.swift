import Foundation
import Testing
import ResetLabCapture

@testable import ResetLabLab

@Suite struct PCAPWriterTests {
    private func littleEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    @Test func writesTheGlobalHeader() {
        let file = PCAPWriter.file([])
        #expect(file == [
            0xd4, 0xc3, 0xb2, 0xa1,  // magic 0xa1b2c3d4, little-endian
            2, 0, 4, 0,  // version 2.4
            0, 0, 0, 0,  // thiszone
            0, 0, 0, 0,  // sigfigs
            0xff, 0xff, 0, 0,  // snaplen 65535
            101, 0, 0, 0,  // LINKTYPE_RAW
        ])
    }

    @Test func writesOneRecordPerPacket() throws {
        let packets = LabFixtures.gracefulPackets()
        let file = PCAPWriter.file(packets)
        #expect(file.count == 24 + packets.reduce(0) { $0 + 16 + $1.ipPacket.count })
        var offset = 24
        for packet in packets {
            let seconds = self.littleEndian32(file, at: offset)
            let microseconds = self.littleEndian32(file, at: offset + 4)
            let included = Int(self.littleEndian32(file, at: offset + 8))
            let original = Int(self.littleEndian32(file, at: offset + 12))
            #expect(Int64(seconds) == packet.timestampNanoseconds / 1_000_000_000)
            #expect(Int64(microseconds) == packet.timestampNanoseconds % 1_000_000_000 / 1000)
            #expect(included == packet.ipPacket.count && original == packet.ipPacket.count)
            let data = Array(file[(offset + 16)..<(offset + 16 + included)])
            #expect(data == packet.ipPacket)
            let segment = try #require(IPv4TCPParser.parse(data))
            #expect(segment.flags == packet.flags)
            offset += 16 + included
        }
        #expect(offset == file.count)
        // The first record: 1700000000.123456 s, 40 bytes.
        #expect(Array(file[24..<40]) == [0x00, 0xf1, 0x53, 0x65, 0x40, 0xe2, 0x01, 0x00, 40, 0, 0, 0, 40, 0, 0, 0])
    }

    @Test func cutsPacketsLongerThanTheSnapshotLength() {
        var packet = LabFixtures.gracefulPackets()[0]
        packet.ipPacket = Array(repeating: 0x45, count: 70_000)
        let file = PCAPWriter.file([packet])
        #expect(self.littleEndian32(file, at: 24 + 8) == 65_535)
        #expect(self.littleEndian32(file, at: 24 + 12) == 70_000)
        #expect(file.count == 24 + 16 + 65_535)
    }

    @Test func clampsTimestamps() {
        #expect(PCAPWriter.timestamp(-5) == (0, 0))
        #expect(PCAPWriter.timestamp(1_500_000_999) == (1, 500_000))
        #expect(PCAPWriter.timestamp(Int64.max) == (UInt32.max, 999_999))
    }

    /// tshark must read the file back, flags and all (skipped when tshark is not installed).
    @Test func tsharkReadsTheFile() throws {
        let tshark = "/usr/bin/tshark"
        guard FileManager.default.isExecutableFile(atPath: tshark) else { return }
        let packets = LabFixtures.gracefulPackets()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("resetlab-pcap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("lab.pcap")
        try Data(PCAPWriter.file(packets)).write(to: path)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: tshark)
        process.arguments = ["-r", path.path, "-T", "fields", "-e", "tcp.flags.str"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == packets.count)
        for (line, packet) in zip(lines, packets) {
            let letters = Set(line.filter { $0.isASCII && $0.isLetter })
            #expect(letters == Set(packet.flags.letters), "tshark read \(line) for \(packet.flags.letters)")
        }
    }
}
