import Testing

@testable import ResetLabProbe

/// Who sent the RSTs, judged from the TTLs of what arrived from the probed port.
@Suite struct ResetOriginTests {
    static let server = "192.0.2.10"
    static func segment(_ flags: UInt8, ttl: UInt8, from source: String = server) -> ResetOrigin.Segment {
        ResetOrigin.Segment(source: source, ttl: ttl, flags: flags)
    }

    @Test func aResetWithTheServersTTLCameFromTheServer() {
        let segments = [Self.segment(0x12, ttl: 55), Self.segment(0x18, ttl: 55), Self.segment(0x04, ttl: 55)]
        #expect(ResetOrigin.judge(segments, from: [Self.server]) == .server(ttl: 55))
    }

    @Test func aResetWithAnotherTTLWasInjected() {
        let segments = [Self.segment(0x12, ttl: 55), Self.segment(0x14, ttl: 64)]
        #expect(ResetOrigin.judge(segments, from: [Self.server]) == .injected(resetTTL: 64, serverTTL: 55))
    }

    @Test func anotherHostOnTheSamePortIsLeftOut() {
        // 198.51.100.7 also talks from the probed port number: its packets say nothing about this server.
        let other = "198.51.100.7"
        let segments = [
            Self.segment(0x12, ttl: 55), Self.segment(0x12, ttl: 120, from: other), Self.segment(0x04, ttl: 120, from: other),
        ]
        #expect(ResetOrigin.judge(segments, from: [Self.server]) == nil, "no RST came from the server")
        let withOurs = segments + [Self.segment(0x04, ttl: 55)]
        #expect(ResetOrigin.judge(withOurs, from: [Self.server]) == .server(ttl: 55))
    }

    @Test func withoutOneAgreedServerTTLNothingIsCalledInjected() {
        // SYN-ACKs with different TTLs (a route change, two servers behind one address): no yardstick.
        let segments = [Self.segment(0x12, ttl: 55), Self.segment(0x12, ttl: 60), Self.segment(0x04, ttl: 64)]
        #expect(ResetOrigin.judge(segments, from: [Self.server]) == .server(ttl: 64))
        #expect(ResetOrigin.judge([Self.segment(0x04, ttl: 64)], from: [Self.server]) == .server(ttl: 64))
    }
}

/// The packets the probe's watch captures, read into segments.
@Suite struct ResetOriginPacketTests {
    /// An IPv4 header of `headerLength` bytes (options zero), then 20 bytes of TCP with `flags`.
    static func ipv4(headerLength: Int = 20, ttl: UInt8, protocol number: UInt8 = 6, flags: UInt8) -> [UInt8] {
        var packet = [UInt8(0x40 | headerLength / 4), 0, 0, 0, 0, 0, 0, 0, ttl, number, 0, 0, 192, 0, 2, 10, 127, 0, 0, 1]
        packet += [UInt8](repeating: 0, count: headerLength - 20)
        packet += [0, 21, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]
        return packet
    }

    /// An IPv6 header from `source` (16 bytes), then 20 bytes of TCP with `flags`.
    static func ipv6(from source: [UInt8], hopLimit: UInt8, nextHeader: UInt8 = 6, flags: UInt8) -> [UInt8] {
        var packet: [UInt8] = [0x60, 0, 0, 0, 0, 20, nextHeader, hopLimit] + source
        packet += [UInt8](repeating: 0, count: 15) + [1]
        packet += [0, 80, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]
        return packet
    }

    @Test func anIPv4SegmentGivesItsSourceTTLAndFlags() {
        #expect(ResetOrigin.Segment(ipPacket: Self.ipv4(ttl: 50, flags: 0x12)) == ResetOrigin.Segment(source: "192.0.2.10", ttl: 50, flags: 0x12))
        // With IP options, the TCP header starts later.
        #expect(ResetOrigin.Segment(ipPacket: Self.ipv4(headerLength: 24, ttl: 64, flags: 0x04))?.flags == 0x04)
    }

    @Test func anIPv6SegmentGivesItsSourceAsTheResolverWritesItAndItsHopLimit() {
        let loopback = [UInt8](repeating: 0, count: 15) + [1]
        #expect(ResetOrigin.Segment(ipPacket: Self.ipv6(from: loopback, hopLimit: 50, flags: 0x12)) == ResetOrigin.Segment(source: "::1", ttl: 50, flags: 0x12))
        let documentation: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [5]
        #expect(ResetOrigin.Segment(ipPacket: Self.ipv6(from: documentation, hopLimit: 64, flags: 0x14))?.source == "2001:db8::5")
    }

    @Test func otherPacketsAreLeftOut() {
        #expect(ResetOrigin.Segment(ipPacket: [UInt8]()) == nil)
        #expect(ResetOrigin.Segment(ipPacket: Self.ipv4(ttl: 64, protocol: 17, flags: 0)) == nil, "UDP")
        #expect(ResetOrigin.Segment(ipPacket: Self.ipv4(ttl: 64, flags: 0x04).prefix(33)) == nil, "cut before the flags")
        let loopback = [UInt8](repeating: 0, count: 15) + [1]
        #expect(ResetOrigin.Segment(ipPacket: Self.ipv6(from: loopback, hopLimit: 64, nextHeader: 0, flags: 0x04)) == nil, "an extension header")
        #expect(ResetOrigin.Segment(ipPacket: [0x50] + [UInt8](repeating: 0, count: 60)) == nil, "IP version 5")
    }
}
