import Testing

@testable import ResetLabCapture

/// Link layers, IPv4 and IPv6 with extension headers, fragments, TCP options, and frames that lie.
@Suite struct PacketDecoderTests {
    static let tcp = FrameBuilder.tcp(.init(
        sourcePort: 40000, destinationPort: 25, sequence: 7, acknowledgement: 9, flags: [.psh, .ack], window: 512,
        payload: 3))
    static let ipv4 = FrameBuilder.ipv4(tcp, ttl: 57)
    static let ipv6 = FrameBuilder.ipv6(tcp, hopLimit: 33)

    struct LinkCase: Sendable, CustomTestStringConvertible {
        var name: String
        var linkType: LinkType
        var bytes: [UInt8]
        var isIPv6 = false
        var testDescription: String { self.name }
    }

    static let links: [LinkCase] = [
        LinkCase(name: "Ethernet", linkType: .ethernet, bytes: FrameBuilder.ethernet(ipv4)),
        LinkCase(name: "Ethernet IPv6", linkType: .ethernet, bytes: FrameBuilder.ethernet(ipv6, etherType: 0x86dd), isIPv6: true),
        LinkCase(name: "802.1Q VLAN", linkType: .ethernet, bytes: FrameBuilder.ethernet(ipv4, tags: [0x8100])),
        LinkCase(name: "QinQ", linkType: .ethernet, bytes: FrameBuilder.ethernet(ipv4, tags: [0x88a8, 0x8100])),
        LinkCase(name: "MPLS, two labels", linkType: .ethernet, bytes: FrameBuilder.mpls(ipv4, labels: 2)),
        LinkCase(name: "MPLS over IPv6", linkType: .ethernet, bytes: FrameBuilder.mpls(ipv6, labels: 1), isIPv6: true),
        LinkCase(name: "Linux cooked SLL", linkType: .linuxSLL, bytes: FrameBuilder.linuxSLL(ipv4)),
        LinkCase(name: "Linux cooked SLL2", linkType: .linuxSLL2, bytes: FrameBuilder.linuxSLL2(ipv6, protocolType: 0x86dd), isIPv6: true),
        LinkCase(name: "raw IP (101)", linkType: .raw, bytes: ipv4),
        LinkCase(name: "raw IPv6 (101)", linkType: .raw, bytes: ipv6, isIPv6: true),
        LinkCase(name: "raw IPv4 (228)", linkType: .ipv4, bytes: ipv4),
        LinkCase(name: "raw IPv6 (229)", linkType: .ipv6, bytes: ipv6, isIPv6: true),
        LinkCase(name: "BSD NULL, IPv4", linkType: .null, bytes: FrameBuilder.loopback(ipv4, family: 2, bigEndian: false)),
        LinkCase(name: "BSD NULL, macOS IPv6", linkType: .null, bytes: FrameBuilder.loopback(ipv6, family: 30, bigEndian: false), isIPv6: true),
        LinkCase(name: "OpenBSD LOOP, IPv6", linkType: .loop, bytes: FrameBuilder.loopback(ipv6, family: 24, bigEndian: true), isIPv6: true),
    ]

    @Test(arguments: links)
    func everyLinkTypeReachesTheSegment(_ link: LinkCase) throws {
        let segment = try #require(decode(link.bytes, linkType: link.linkType).segment)
        #expect(segment.sourcePort == 40000)
        #expect(segment.destinationPort == 25)
        #expect(segment.sequence == 7)
        #expect(segment.acknowledgement == 9)
        #expect(segment.flags == [.psh, .ack])
        #expect(segment.window == 512)
        #expect(segment.payloadLength == 3)
        #expect(segment.source.isIPv6 == link.isIPv6)
        if link.isIPv6 {
            #expect(segment.source.description == "::1")
            #expect(segment.destination.description == "2001:db8::5")
            #expect(segment.hopLimit == 33)
            #expect(segment.ipLength == 40 + 23)
        } else {
            #expect(segment.source.description == "10.0.0.1")
            #expect(segment.destination.description == "10.0.0.2")
            #expect(segment.hopLimit == 57)
            #expect(segment.ipLength == 20 + 23)
        }
    }

    @Test func ipv6ExtensionHeadersAreWalked() throws {
        let hopByHop: [UInt8] = [0, 0, 1, 4, 0, 0, 0, 0]  // next header (filled in), length 0, PadN
        let destination: [UInt8] = [0, 1] + [UInt8](repeating: 0, count: 14)  // 16 bytes
        let authentication: [UInt8] = [0, 2] + [UInt8](repeating: 0, count: 14)  // (2 + 2) * 4 = 16 bytes
        let packet = FrameBuilder.ipv6(Self.tcp, extensions: [(0, hopByHop), (60, destination), (51, authentication)])
        let segment = try #require(decode(packet, linkType: .ipv6).segment)
        #expect(segment.payloadLength == 3)
        #expect(segment.ipLength == packet.count)
    }

    @Test func fragmentsAreDetectedNotDecoded() throws {
        let first = FrameBuilder.ipv4(Self.tcp, fragment: 0x2000)  // more fragments, offset 0
        guard case .ipFragment(let fragment) = decode(first, linkType: .ipv4) else {
            Issue.record("not a fragment")
            return
        }
        #expect(fragment.moreFragments && fragment.offset == 0 && fragment.protocolNumber == 6)

        let later = FrameBuilder.ipv4([0, 0, 0, 0], fragment: 0x0003)  // offset 24 bytes
        guard case .ipFragment(let second) = decode(later, linkType: .ipv4) else {
            Issue.record("not a fragment")
            return
        }
        #expect(second.offset == 24 && !second.moreFragments)

        let fragmentHeader: [UInt8] = [0, 0, 0x00, 0x19, 0, 0, 0, 1]  // offset 3 (24 bytes), more fragments
        let ipv6 = FrameBuilder.ipv6([1, 2, 3, 4], extensions: [(44, fragmentHeader)])
        guard case .ipFragment(let third) = decode(ipv6, linkType: .ipv6) else {
            Issue.record("not a fragment")
            return
        }
        #expect(third.offset == 24 && third.moreFragments && third.protocolNumber == 6)
    }

    @Test func tcpOptionsAreRead() throws {
        let options: [UInt8] = [2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 9]
        let bytes = FrameBuilder.ipv4(FrameBuilder.tcp(.init(flags: .syn, options: options)))
        let segment = try #require(decode(bytes, linkType: .ipv4).segment)
        #expect(segment.options.maximumSegmentSize == 1460)
        #expect(segment.options.windowScale == 7)
        #expect(segment.options.sackPermitted)
        #expect(segment.options.timestampValue == 5)
        #expect(segment.options.timestampEcho == 9)
        #expect(segment.payloadLength == 0)
    }

    @Test func aZeroTotalLengthFromSegmentationOffloadUsesTheCapturedBytes() throws {
        let bytes = FrameBuilder.ipv4(FrameBuilder.tcp(.init(flags: .ack, payload: 3000)), totalLength: 0)
        let segment = try #require(decode(bytes, linkType: .ipv4).segment)
        #expect(segment.payloadLength == 3000)
    }

    @Test func nonTcpTrafficIsOther() {
        #expect(decode(FrameBuilder.ipv4([0, 53, 0, 53, 0, 8, 0, 0], protocolNumber: 17), linkType: .ipv4) == .other)
        #expect(decode(FrameBuilder.ethernet([UInt8](repeating: 0, count: 28), etherType: 0x0806), linkType: .ethernet) == .other)
        #expect(decode(Self.ipv4, linkType: LinkType(rawValue: 147)) == .other)
    }

    @Test(arguments: [
        ([0x45, 0, 0], LinkType.ipv4, "IPv4 header cut short"),
        ([0x44] + [UInt8](repeating: 0, count: 30), LinkType.ipv4, "IPv4 header length 16 is below 20 bytes"),
        (Array(FrameBuilder.ipv4(FrameBuilder.tcp(.init())).prefix(30)), LinkType.ipv4, "TCP header cut short"),
        (FrameBuilder.ipv4(FrameBuilder.tcp(.init()), totalLength: 12), LinkType.ipv4, "below its header length"),
        ([2, 0, 0], LinkType.ethernet, "Ethernet header cut short (3 of 14 bytes)"),
        ([0, 0], LinkType.linuxSLL, "Linux cooked header cut short (2 of 16 bytes)"),
        ([0, 0], LinkType.linuxSLL2, "Linux cooked v2 header cut short (2 of 20 bytes)"),
        ([2], LinkType.null, "loopback header cut short (1 of 4 bytes)"),
        (FrameBuilder.ethernet([0x45], etherType: 0x8100), LinkType.ethernet, "VLAN tag cut short"),
        ([0x65] + [UInt8](repeating: 0, count: 30), LinkType.ipv4, "IP version 6 where IPv4 was expected"),
        (Array(FrameBuilder.ipv6(FrameBuilder.tcp(.init())).prefix(20)), LinkType.ipv6, "IPv6 header cut short"),
    ] as [([UInt8], LinkType, String)])
    func malformedFramesSayWhatIsWrong(_ bytes: [UInt8], _ linkType: LinkType, _ reason: String) {
        guard case .malformed(let malformed) = decode(bytes, linkType: linkType, index: 42) else {
            Issue.record("decoded although malformed: \(decode(bytes, linkType: linkType))")
            return
        }
        #expect(malformed.frame == 42)
        #expect(malformed.reason.contains(reason), "\(malformed.reason)")
    }

    @Test func aTcpDataOffsetBelowFiveIsMalformed() {
        var tcp = FrameBuilder.tcp(.init())
        tcp[12] = 0x40
        guard case .malformed(let malformed) = decode(FrameBuilder.ipv4(tcp), linkType: .ipv4) else {
            Issue.record("decoded")
            return
        }
        #expect(malformed.reason.contains("TCP data offset 16"))
    }

    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"), ("::1", "::1"), ("2001:db8::5", "2001:db8::5"), ("2001:DB8:0:0:0:0:0:5", "2001:db8::5"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"), ("fe80::1:0:0:2", "fe80::1:0:0:2"),
    ])
    func addressesParseAndPrint(_ text: String, _ printed: String) {
        #expect(IPAddress(parsing: text)?.description == printed)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.256", "1::2::3", "example.com", "12345::", ":::"])
    func badAddressesDoNotParse(_ text: String) {
        #expect(IPAddress(parsing: text) == nil)
    }
}
