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
