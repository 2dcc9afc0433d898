import ResetLabCapture
import ResetLabWatch
import Testing

/// IP packets as a cooked AF_PACKET socket hands them over (no link header).
enum PacketSamples {
    /// A TCP header: ports, sequence, acknowledgement, data offset 5, flags, window 0, no checksum.
    static func tcp(sourcePort: UInt16, destinationPort: UInt16, sequence: UInt32, acknowledgement: UInt32, flags: UInt8) -> [UInt8] {
        bigEndian(sourcePort) + bigEndian(destinationPort) + bigEndian(sequence) + bigEndian(acknowledgement)
            + [0x50, flags, 0, 0, 0, 0, 0, 0]
    }

    static func ipv4(source: [UInt8], destination: [UInt8], protocolNumber: UInt8 = 6, fragment: UInt16 = 0x4000, payload: [UInt8]) -> [UInt8] {
        [0x45, 0] + bigEndian(UInt16(20 + payload.count)) + [0, 0] + bigEndian(fragment) + [64, protocolNumber, 0, 0]
            + source + destination + payload
    }

    static func ipv6(source: [UInt8], destination: [UInt8], nextHeader: UInt8 = 6, payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + bigEndian(UInt16(payload.count)) + [nextHeader, 64] + source + destination + payload
    }

    static let loopback6: [UInt8] = [UInt8](repeating: 0, count: 15) + [1]
    static let documentation6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [5]

    /// 127.0.0.1:8080 → 127.0.0.1:51446, RST+ACK: what a refused connect gets back.
    static let refusedV4 = ipv4(
        source: [127, 0, 0, 1], destination: [127, 0, 0, 1],
        payload: tcp(sourcePort: 8080, destinationPort: 51446, sequence: 0, acknowledgement: 1001, flags: 0x14))
    /// [2001:db8::5]:443 → [::1]:40000, RST alone.
    static let resetV6 = ipv6(
        source: documentation6, destination: loopback6,
        payload: tcp(sourcePort: 443, destinationPort: 40000, sequence: 77, acknowledgement: 0, flags: 0x04))

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}

@Suite struct PacketResetTests {
    static func event(_ bytes: [UInt8], packetType: Int32, at timestamp: Double = 12.5) -> KernelEvent? {
        bytes.withUnsafeBytes { KernelEvent(packet: $0, packetType: packetType, timestamp: timestamp) }
    }

    @Test func anIPv4ResetLeavingIsSentFromItsSource() throws {
        let event = try #require(Self.event(PacketSamples.refusedV4, packetType: 4))
        #expect(event.kind == .sentReset(reason: nil))
        #expect(event.local == TraceEndpoint(address: "127.0.0.1", port: 8080))
        #expect(event.remote == TraceEndpoint(address: "127.0.0.1", port: 51446))
        #expect(event.state == nil)
        #expect(event.cookie == nil)
        #expect(event.timestamp == 12.5)
    }

    @Test func theArrivingCopyIsReceivedAtItsDestination() throws {
        let event = try #require(Self.event(PacketSamples.refusedV4, packetType: 0))
        #expect(event.kind == .receivedReset)
        #expect(event.local == TraceEndpoint(address: "127.0.0.1", port: 51446))
        #expect(event.remote == TraceEndpoint(address: "127.0.0.1", port: 8080))
    }

    @Test func anIPv6ResetKeepsItsAddressesAsTheKernelPrintsThem() throws {
        let event = try #require(Self.event(PacketSamples.resetV6, packetType: 0))
        #expect(event.kind == .receivedReset)
        #expect(event.local == TraceEndpoint(address: "::1", port: 40000))
        #expect(event.remote == TraceEndpoint(address: "2001:db8::5", port: 443))
        #expect(event.remote.description == "[2001:db8::5]:443")
    }

    @Test(arguments: [1, 2, 3, 5, 6, 7] as [Int32])
    func packetTypesOtherThanHostAndOutgoingAreNotThisHostsResets(_ type: Int32) {
        #expect(Self.event(PacketSamples.refusedV4, packetType: type) == nil)
        #expect(PacketDirection(packetType: type) == nil)
    }

    @Test func segmentsWithoutRSTAndOtherProtocolsAreNotResets() {
        let synAck = PacketSamples.ipv4(
            source: [10, 0, 0, 1], destination: [10, 0, 0, 2],
            payload: PacketSamples.tcp(sourcePort: 80, destinationPort: 5000, sequence: 1, acknowledgement: 2, flags: 0x12))
        let udp = PacketSamples.ipv4(source: [10, 0, 0, 1], destination: [10, 0, 0, 2], protocolNumber: 17, payload: [UInt8](repeating: 0x04, count: 20))
        let laterFragment = PacketSamples.ipv4(
            source: [10, 0, 0, 1], destination: [10, 0, 0, 2], fragment: 0x0010,
            payload: PacketSamples.tcp(sourcePort: 80, destinationPort: 5000, sequence: 1, acknowledgement: 2, flags: 0x04))
        let ipv6UDP = PacketSamples.ipv6(source: PacketSamples.loopback6, destination: PacketSamples.loopback6, nextHeader: 17, payload: [UInt8](repeating: 4, count: 20))
        for packet in [synAck, udp, laterFragment, ipv6UDP, [], [0x45]] {
            #expect(Self.event(packet, packetType: 0) == nil)
            #expect(Self.event(packet, packetType: 4) == nil)
        }
    }

    @Test func everyTruncationIsRejectedWithoutATrap() {
        for packet in [PacketSamples.refusedV4, PacketSamples.resetV6] {
            for length in 0..<packet.count {
                #expect(Self.event(Array(packet.prefix(length)), packetType: 4) == nil, "\(length) of \(packet.count) bytes")
            }
            #expect(Self.event(packet, packetType: 4) != nil)
        }
    }

    @Test func headersThatDoNotAddUpAreRejected() {
        var shortIHL = PacketSamples.refusedV4
        shortIHL[0] = 0x44  // a 16-byte IPv4 header
        var longIHL = PacketSamples.refusedV4
        longIHL[0] = 0x4f  // 60 bytes claimed, 40 present
        var shortTotal = PacketSamples.refusedV4
        shortTotal[3] = 30  // total length leaves 10 bytes for the TCP header
        var badOffset = PacketSamples.refusedV4
        badOffset[20 + 12] = 0x20  // TCP data offset 8 bytes
        var version = PacketSamples.refusedV4
        version[0] = 0x55
        for packet in [shortIHL, longIHL, shortTotal, badOffset, version] {
            #expect(Self.event(packet, packetType: 0) == nil)
        }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            var packet = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !packet.isEmpty && Bool.random(using: &generator) { packet[0] = Bool.random(using: &generator) ? 0x45 : 0x60 }
            _ = Self.event(packet, packetType: 4)
        }
    }
}

@Suite struct HostAddressesTests {
    static let reset = PacketSamples.refusedV4.withUnsafeBytes { CapturedReset(ipPacket: $0)! }

    @Test func theLocalEndDecidesByDirection() throws {
        let outside = try #require(PacketSamples.ipv4(
            source: [192, 0, 2, 2], destination: [198, 51, 100, 7],
            payload: PacketSamples.tcp(sourcePort: 5000, destinationPort: 443, sequence: 9, acknowledgement: 0, flags: 0x04)
        ).withUnsafeBytes { CapturedReset(ipPacket: $0) })
        let hosts = HostAddresses(addresses: [IPAddress(ipv4: 0xc000_0202)], loopbackInterfaces: [1])
        #expect(hosts.owns(outside, direction: .leaving, interface: 2))
        #expect(!hosts.owns(outside, direction: .arriving, interface: 2), "arriving for 198.51.100.7: forwarded")
    }

    @Test func anythingOnLoopbackIsThisHosts() {
        let hosts = HostAddresses(addresses: [], loopbackInterfaces: [1])
        #expect(hosts.owns(Self.reset, direction: .arriving, interface: 1))
        #expect(!hosts.owns(Self.reset, direction: .arriving, interface: 3))
    }
}

@Suite struct DuplicateResetFilterTests {
    static let reset = HostAddressesTests.reset

    /// Which of the packets `filter` calls copies, in order.
    static func copies(_ packets: [(CapturedReset, PacketDirection, interface: Int32, time: Double)], capacity: Int = 64) -> [Bool] {
        var filter = DuplicateResetFilter(capacity: capacity)
        return packets.map { filter.isCopy($0.0, direction: $0.1, interface: $0.interface, timestamp: $0.time) }
    }

    @Test func theSameResetOnASecondInterfaceIsACopy() {
        #expect(Self.copies([(Self.reset, .arriving, 2, 1.0), (Self.reset, .arriving, 5, 1.000_01)]) == [false, true])
    }

    @Test func loopbacksTwoDirectionsAreTwoEvents() {
        #expect(Self.copies([(Self.reset, .leaving, 1, 1.0), (Self.reset, .arriving, 1, 1.0)]) == [false, false])
    }

    @Test func twoIdenticalResetsAreBothKeptAndEachLosesItsCopy() {
        // Interleaved as a bridge may deliver them: eth0 twice, then the bridge twice; then a third one.
        let seen = Self.copies([
            (Self.reset, .arriving, 2, 1.0), (Self.reset, .arriving, 2, 1.000_1), (Self.reset, .arriving, 7, 1.000_2),
            (Self.reset, .arriving, 7, 1.000_3), (Self.reset, .arriving, 7, 1.000_4),
        ])
        #expect(seen == [false, false, true, true, false])
    }

    @Test func aLateRepeatIsANewReset() {
        #expect(Self.copies([(Self.reset, .arriving, 2, 1.0), (Self.reset, .arriving, 7, 1.5)]) == [false, false])
    }

    @Test func otherResetsDoNotPairAndOldOnesAreForgotten() {
        var other = Self.reset
        other.sequence = 99
        let fillers = (1...4 as ClosedRange<UInt16>).map { port in
            var filler = Self.reset
            filler.sourcePort = port
            return (filler, PacketDirection.arriving, interface: Int32(2), time: 1.0)
        }
        let seen = Self.copies(
            [(Self.reset, .arriving, 2, 1.0), (other, .arriving, 7, 1.0)] + fillers + [(Self.reset, .arriving, 7, 1.0)],
            capacity: 4)
        #expect(seen == [Bool](repeating: false, count: 7), "the last one was pushed out by four others")
    }
}
