/// Turns a captured frame into what it carries: a TCP segment, an IP fragment, something else, or headers
/// that do not add up. Link layers: Ethernet (with any number of 802.1Q/802.1ad/QinQ tags and MPLS label
/// stacks), Linux cooked SLL and SLL2, raw IP, raw IPv4/IPv6, BSD NULL and OpenBSD LOOP. Network layers:
/// IPv4 (options skipped) and IPv6 (hop-by-hop, routing, destination options, fragment and AH headers
/// walked). Allocates nothing.
public enum PacketDecoder {
    /// Decodes one frame.
    public static func decode(_ frame: borrowing CapturedFrame) -> DecodedPacket {
        var segment = TCPSegment.empty
        var other = DecodedPacket.other
        return self.decode(frame, into: &segment, otherwise: &other) ? .tcp(segment) : other
    }

    /// Decodes one frame for the per-packet path: a TCP segment is written into `segment` and `true` is
    /// returned, so that no large value is copied on the way; anything else goes into `other` and `false`
    /// is returned.
    @inline(__always)
    public static func decode(
        _ frame: borrowing CapturedFrame, into segment: inout TCPSegment, otherwise other: inout DecodedPacket
    ) -> Bool {
        let bytes = frame.bytes
        guard let network = self.networkLayer(bytes, linkType: frame.linkType) else {
            other = .other
            return false
        }
        switch network {
        case .ipv4(let offset):
            return self.ipv4(
                bytes, at: offset, frame: frame.index, timestamp: frame.timestamp, into: &segment, otherwise: &other)
        case .ipv6(let offset):
            return self.ipv6(
                bytes, at: offset, frame: frame.index, timestamp: frame.timestamp, into: &segment, otherwise: &other)
        case .malformed(let problem):
            other = .malformed(MalformedPacket(frame: frame.index, problem: problem))
            return false
        }
    }

    /// Where the IP header starts, and which version it is.
    enum NetworkLayer {
        case ipv4(Int)
        case ipv6(Int)
        case malformed(MalformedHeader)
    }

    // MARK: - Link layers

    /// The network layer of a frame; `nil` when it carries neither IPv4 nor IPv6 (ARP, an unknown link type).
    static func networkLayer(_ bytes: UnsafeRawBufferPointer, linkType: LinkType) -> NetworkLayer? {
        switch linkType {
        case .ethernet:
            // Destination MAC (6), source MAC (6), EtherType (2).
            guard bytes.count >= 14 else { return .malformed(.linkHeaderCutShort(.ethernet, captured: bytes.count)) }
            return self.etherType(bytes.loadBigEndianUInt16(at: 12), bytes, payloadAt: 14)
        case .linuxSLL:
            // Packet type (2), ARPHRD type (2), address length (2), address (8), protocol (2).
            guard bytes.count >= 16 else { return .malformed(.linkHeaderCutShort(.linuxCooked, captured: bytes.count)) }
            return self.etherType(bytes.loadBigEndianUInt16(at: 14), bytes, payloadAt: 16)
        case .linuxSLL2:
            // Protocol (2), reserved (2), interface index (4), ARPHRD type (2), packet type (1), address
            // length (1), address (8).
            guard bytes.count >= 20 else { return .malformed(.linkHeaderCutShort(.linuxCookedV2, captured: bytes.count)) }
            return self.etherType(bytes.loadBigEndianUInt16(at: 0), bytes, payloadAt: 20)
        case .raw:
            return self.byVersionNibble(bytes, at: 0)
        case .ipv4:
            return .ipv4(0)
        case .ipv6:
            return .ipv6(0)
        case .null, .loop:
            // A 4-byte address family: host byte order for NULL, network byte order for LOOP. Reading it
            // both ways covers captures written on either kind of host.
            guard bytes.count >= 4 else { return .malformed(.linkHeaderCutShort(.loopback, captured: bytes.count)) }
            let family = bytes.loadBigEndianUInt32(at: 0)
            switch family {
            case 2, 0x0200_0000: return .ipv4(4)
            // AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD, DragonFly), 30 (macOS) or 10 (Linux).
            case 24, 28, 30, 10, 0x1800_0000, 0x1c00_0000, 0x1e00_0000, 0x0a00_0000: return .ipv6(4)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Follows an EtherType through VLAN tags and MPLS labels to IPv4 or IPv6.
    static func etherType(_ initial: UInt16, _ bytes: UnsafeRawBufferPointer, payloadAt start: Int) -> NetworkLayer? {
        var type = initial
        var offset = start
        while true {
            switch type {
            case 0x0800:
                return .ipv4(offset)
            case 0x86dd:
                return .ipv6(offset)
            case 0x8100, 0x88a8, 0x9100, 0x9200:
                // 802.1Q / 802.1ad / pre-standard QinQ tag: TCI (2), then the next EtherType (2).
                guard bytes.count >= offset + 4 else { return .malformed(.vlanTagCutShort) }
                type = bytes.loadBigEndianUInt16(at: offset + 2)
                offset += 4
            case 0x8847, 0x8848:
                // MPLS: 4-byte labels until the bottom-of-stack bit; the payload's version nibble says
                // what follows (there is no type field).
                while true {
                    guard bytes.count >= offset + 4 else { return .malformed(.mplsLabelStackCutShort) }
                    let bottom = bytes[offset + 2] & 0x01 != 0
                    offset += 4
                    if bottom { break }
                }
                return self.byVersionNibble(bytes, at: offset)
            default:
                return nil
            }
        }
    }

    /// IPv4 or IPv6 from the first nibble at `offset`.
    static func byVersionNibble(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> NetworkLayer? {
        guard bytes.count > offset else { return .malformed(.noIPHeaderAfterLinkHeader) }
        switch bytes[offset] >> 4 {
        case 4: return .ipv4(offset)
        case 6: return .ipv6(offset)
        default: return nil
        }
    }

    // MARK: - Network layers

    static func ipv4(
        _ bytes: UnsafeRawBufferPointer, at start: Int, frame: Int, timestamp: Int64, into segment: inout TCPSegment,
        otherwise other: inout DecodedPacket
    ) -> Bool {
        guard bytes.count >= start + 20 else {
            return Self.malformed(.ipv4HeaderCutShort(captured: bytes.count - start), frame: frame, as: &other)
        }
        let versionAndLength = bytes[start]
        guard versionAndLength >> 4 == 4 else {
            let problem = MalformedHeader.ipVersionMismatch(found: versionAndLength >> 4, expected: 4)
            return Self.malformed(problem, frame: frame, as: &other)
        }
        let headerLength = Int(versionAndLength & 0x0f) * 4
        guard headerLength >= 20 else {
            return Self.malformed(.ipv4HeaderLengthTooSmall(headerLength), frame: frame, as: &other)
        }
        var totalLength = Int(bytes.loadBigEndianUInt16(at: start + 2))
        if totalLength == 0 {
            // Segmentation offload: the sending host captured a large segment before the NIC split it, and
            // the length field was left 0. The captured bytes are all there is to go on.
            totalLength = bytes.count - start
        }
        guard totalLength >= headerLength else {
            let problem = MalformedHeader.ipv4TotalLengthBelowHeader(
                totalLength: totalLength, headerLength: headerLength)
            return Self.malformed(problem, frame: frame, as: &other)
        }
        let protocolNumber = bytes[start + 9]
        let source = IPAddress(bytes: bytes, at: start + 12, isIPv6: false)
        let destination = IPAddress(bytes: bytes, at: start + 16, isIPv6: false)
        let fragmentField = bytes.loadBigEndianUInt16(at: start + 6)
        let moreFragments = fragmentField & 0x2000 != 0
        let fragmentOffset = Int(fragmentField & 0x1fff) * 8
        if moreFragments || fragmentOffset != 0 {
            return Self.reject(.ipFragment(IPFragment(
                frame: frame, timestamp: timestamp, source: source, destination: destination,
                protocolNumber: protocolNumber, offset: fragmentOffset, moreFragments: moreFragments)), as: &other)
        }
        guard protocolNumber == 6 else { return Self.reject(.other, as: &other) }
        return self.tcp(
            bytes, at: start + headerLength, segmentLength: totalLength - headerLength, frame: frame,
            timestamp: timestamp, source: source, destination: destination, hopLimit: bytes[start + 8],
            ipLength: totalLength, into: &segment, otherwise: &other)
    }

    static func ipv6(
        _ bytes: UnsafeRawBufferPointer, at start: Int, frame: Int, timestamp: Int64, into segment: inout TCPSegment,
        otherwise other: inout DecodedPacket
    ) -> Bool {
        guard bytes.count >= start + 40 else {
            return Self.malformed(.ipv6HeaderCutShort(captured: bytes.count - start), frame: frame, as: &other)
        }
        guard bytes[start] >> 4 == 6 else {
            return Self.malformed(.ipVersionMismatch(found: bytes[start] >> 4, expected: 6), frame: frame, as: &other)
        }
        var payloadLength = Int(bytes.loadBigEndianUInt16(at: start + 4))
        if payloadLength == 0 {
            // A jumbogram or an offloaded segment: use what was captured.
            payloadLength = bytes.count - start - 40
        }
        let source = IPAddress(bytes: bytes, at: start + 8, isIPv6: true)
        let destination = IPAddress(bytes: bytes, at: start + 24, isIPv6: true)
        let hopLimit = bytes[start + 7]
        var next = bytes[start + 6]
        var offset = start + 40
        let end = start + 40 + payloadLength
        // Walk the extension headers (at most a handful; a loop that never ends would be a corrupt chain).
        for _ in 0..<16 {
            switch next {
            case 6:
                return self.tcp(
                    bytes, at: offset, segmentLength: end - offset, frame: frame, timestamp: timestamp,
                    source: source, destination: destination, hopLimit: hopLimit, ipLength: payloadLength + 40,
                    into: &segment, otherwise: &other)
            case 0, 43, 60, 135, 139, 140:
                // Hop-by-hop, routing, destination options, mobility, HIP, shim6: next header (1), length
                // in 8-byte units not counting the first 8 (1).
                guard bytes.count >= offset + 2 else {
                    return Self.malformed(.ipv6ExtensionHeaderCutShort, frame: frame, as: &other)
                }
                let length = (Int(bytes[offset + 1]) + 1) * 8
                next = bytes[offset]
                offset += length
            case 51:
                // Authentication header: its length counts 4-byte units, not counting the first 8 bytes.
                guard bytes.count >= offset + 2 else {
                    return Self.malformed(.ipv6ExtensionHeaderCutShort, frame: frame, as: &other)
                }
                let length = (Int(bytes[offset + 1]) + 2) * 4
                next = bytes[offset]
                offset += length
            case 44:
                // Fragment header: next header (1), reserved (1), offset and flags (2), identification (4).
                guard bytes.count >= offset + 8 else {
                    return Self.malformed(.ipv6ExtensionHeaderCutShort, frame: frame, as: &other)
                }
                let field = bytes.loadBigEndianUInt16(at: offset + 2)
                return Self.reject(.ipFragment(IPFragment(
                    frame: frame, timestamp: timestamp, source: source, destination: destination,
                    protocolNumber: bytes[offset], offset: Int(field >> 3) * 8, moreFragments: field & 1 != 0)),
                    as: &other)
            default:
                return Self.reject(.other, as: &other)
            }
            guard offset <= end else {
                return Self.malformed(.ipv6ExtensionHeadersPastPayload, frame: frame, as: &other)
            }
        }
        return Self.malformed(.ipv6ExtensionChainTooLong, frame: frame, as: &other)
    }

    /// Stores headers that do not add up as frame `frame`'s outcome; returns `false`, as the decoders do.
    @inline(__always)
    private static func malformed(_ problem: MalformedHeader, frame: Int, as other: inout DecodedPacket) -> Bool {
        Self.reject(.malformed(MalformedPacket(frame: frame, problem: problem)), as: &other)
    }

    /// Stores a frame that is not a TCP segment (what the decoders return `false` with).
    @inline(__always)
    private static func reject(_ packet: DecodedPacket, as other: inout DecodedPacket) -> Bool {
        other = packet
        return false
    }


    // MARK: - TCP

    /// The TCP header at `start`, written into `segment` (then `true` is returned); `segmentLength` is the TCP
    /// header plus payload according to the IP header.
    static func tcp(
        _ bytes: UnsafeRawBufferPointer, at start: Int, segmentLength: Int, frame: Int, timestamp: Int64,
        source: IPAddress, destination: IPAddress, hopLimit: UInt8, ipLength: Int, into segment: inout TCPSegment,
        otherwise other: inout DecodedPacket
    ) -> Bool {
        guard bytes.count >= start + 20 else {
            let have = max(0, bytes.count - start)
            return Self.malformed(.tcpHeaderCutShort(captured: have), frame: frame, as: &other)
        }
        let headerLength = Int(bytes[start + 12] >> 4) * 4
        guard headerLength >= 20 else {
            return Self.malformed(.tcpDataOffsetTooSmall(headerLength), frame: frame, as: &other)
        }
        guard segmentLength >= headerLength else {
            let problem = MalformedHeader.tcpHeaderExceedsIPPayload(headerLength: headerLength, payload: segmentLength)
            return Self.malformed(problem, frame: frame, as: &other)
        }
        var options = TCPOptions()
        if headerLength > 20 {
            let optionsEnd = min(start + headerLength, bytes.count)
            if optionsEnd > start + 20 {
                options = self.options(UnsafeRawBufferPointer(rebasing: bytes[(start + 20)..<optionsEnd]))
            }
        }
        segment.frame = frame
        segment.timestamp = timestamp
        segment.source = source
        segment.destination = destination
        segment.sourcePort = bytes.loadBigEndianUInt16(at: start)
        segment.destinationPort = bytes.loadBigEndianUInt16(at: start + 2)
        segment.sequence = bytes.loadBigEndianUInt32(at: start + 4)
        segment.acknowledgement = bytes.loadBigEndianUInt32(at: start + 8)
        segment.flags = TCPFlags(rawValue: bytes[start + 13])
        segment.window = bytes.loadBigEndianUInt16(at: start + 14)
        segment.payloadLength = segmentLength - headerLength
        segment.hopLimit = hopLimit
        segment.options = options
        segment.ipLength = ipLength
        return true
    }

    /// The options ResetLab reads; malformed options end the walk without failing the segment.
    static func options(_ bytes: UnsafeRawBufferPointer) -> TCPOptions {
        var options = TCPOptions()
        var offset = 0
        while offset < bytes.count {
            let kind = bytes[offset]
            if kind == 0 { break }  // end of options
            if kind == 1 {  // no-operation
                offset += 1
                continue
            }
            guard offset + 1 < bytes.count else { break }
            let length = Int(bytes[offset + 1])
            guard length >= 2, offset + length <= bytes.count else { break }
            switch (kind, length) {
            case (2, 4): options.maximumSegmentSize = bytes.loadBigEndianUInt16(at: offset + 2)
            case (3, 3): options.windowScale = bytes[offset + 2]
            case (4, 2): options.sackPermitted = true
            case (8, 10):
                options.timestampValue = bytes.loadBigEndianUInt32(at: offset + 2)
                options.timestampEcho = bytes.loadBigEndianUInt32(at: offset + 6)
            default: break
            }
            offset += length
        }
        return options
    }
}
