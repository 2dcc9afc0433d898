import Testing
import ResetLabCapture

@testable import ResetLabLab

@Suite struct PacketParsingTests {
    @Test func parsesAHandBuiltSegment() throws {
        let packet = TestPackets.ipv4TCP(
            sourcePort: 40_000, destinationPort: 5_555, flags: [.psh, .ack], sequenceNumber: 0xDEAD_BEEF,
            acknowledgmentNumber: 7, payload: Array("hello".utf8), timeToLive: 61
        )
        let segment = try #require(IPv4TCPParser.parse(packet))
        #expect(segment.sourcePort == 40_000)
        #expect(segment.destinationPort == 5_555)
        #expect(segment.flags == [.psh, .ack])
        #expect(segment.flags.letters == "PA")
        #expect(segment.sequenceNumber == 0xDEAD_BEEF)
        #expect(segment.acknowledgmentNumber == 7)
        #expect(segment.payloadLength == 5)
        #expect(segment.timeToLive == 61)
    }

    @Test func ignoresTrailingBytesBeyondTheTotalLength() throws {
        let packet = TestPackets.ipv4TCP(
            sourcePort: 1, destinationPort: 2, flags: .syn, sequenceNumber: 1, acknowledgmentNumber: 0
        )
        let segment = try #require(IPv4TCPParser.parse(packet + [0, 0, 0, 0]))
        #expect(segment.payloadLength == 0 && segment.flags == .syn)
    }

    @Test func rejectsWhatIsNotAWholeTCPSegment() {
        func build(protocolNumber: UInt8 = 6, fragmentOffset: UInt16 = 0) -> [UInt8] {
            TestPackets.ipv4TCP(
                sourcePort: 1, destinationPort: 2, flags: .syn, sequenceNumber: 1, acknowledgmentNumber: 0,
                payload: [1, 2, 3], protocolNumber: protocolNumber, fragmentOffset: fragmentOffset
            )
        }
        let good = build()
        #expect(IPv4TCPParser.parse(good) != nil)
        #expect(IPv4TCPParser.parse(build(protocolNumber: 17)) == nil, "UDP")
        #expect(IPv4TCPParser.parse(build(fragmentOffset: 10)) == nil, "a later fragment")
        #expect(IPv4TCPParser.parse(Array(good.prefix(good.count - 1))) == nil, "shorter than its total length")
        #expect(IPv4TCPParser.parse(Array(good.prefix(30))) == nil, "truncated TCP header")
        #expect(IPv4TCPParser.parse(Array(good.prefix(19))) == nil, "truncated IP header")
        #expect(IPv4TCPParser.parse([]) == nil)
        var ipv6 = good
        ipv6[0] = 0x65
        #expect(IPv4TCPParser.parse(ipv6) == nil, "not version 4")
        var badOffset = good
        badOffset[20 + 12] = 4 << 4
        #expect(IPv4TCPParser.parse(badOffset) == nil, "TCP data offset below 5 words")
    }

    @Test(arguments: [
        (TCPFlags.syn, "S"), ([.syn, .ack], "SA"), ([.fin, .ack], "FA"), ([.psh, .ack], "PA"), (.rst, "R"),
        ([.rst, .ack], "RA"), ([.fin, .psh, .ack], "FPA"), (.ack, "A"), ([], "."),
    ] as [(TCPFlags, String)])
    func flagLetters(flags: TCPFlags, letters: String) {
        #expect(flags.letters == letters)
    }

    @Test func packetTokensAndPureAcknowledgments() {
        let data = TestPackets.packet(.client, [.psh, .ack], seq: 1, ack: 1, payload: [1, 2, 3, 4, 5], at: 0)
        #expect(data.token == "PA5" && !data.isPureAcknowledgment)
        let ack = TestPackets.packet(.server, .ack, seq: 1, ack: 1, at: 0)
        #expect(ack.token == "A" && ack.isPureAcknowledgment)
        let fin = TestPackets.packet(.server, [.fin, .ack], seq: 1, ack: 1, at: 0)
        #expect(fin.token == "FA" && !fin.isPureAcknowledgment)
        #expect(TestPackets.packet(.server, .rst, seq: 1, at: 0).token == "R")
    }

    @Test func relativeSequenceNumbersRestartWithANewConnection() {
        let packets = LabFixtures.gracefulPackets() + [
            TestPackets.packet(.client, .syn, seq: 77, at: 0),
            TestPackets.packet(.server, [.syn, .ack], seq: 900, ack: 78, at: 0),
        ]
        let numbers = LabSequenceNumbering(packets).numbers
        #expect(numbers[0] == .init(sequence: 0, acknowledgment: nil))
        #expect(numbers[1] == .init(sequence: 0, acknowledgment: 1))
        #expect(numbers[7] == .init(sequence: 2, acknowledgment: 2))
        #expect(numbers[8] == .init(sequence: 2, acknowledgment: nil))
        #expect(numbers[9] == .init(sequence: 0, acknowledgment: nil))
        #expect(numbers[10] == .init(sequence: 0, acknowledgment: 1))
    }
}
