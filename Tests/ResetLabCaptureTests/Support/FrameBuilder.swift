@testable import ResetLabCapture

/// Builds frames byte by byte, as a capture would hold them: link header, IP header, TCP header, payload.
enum FrameBuilder {
    struct TCP {
        var sourcePort: UInt16 = 40000
        var destinationPort: UInt16 = 80
        var sequence: UInt32 = 1000
        var acknowledgement: UInt32 = 0
        var flags: TCPFlags = .syn
        var window: UInt16 = 65535
        var options: [UInt8] = []
        var payload = 0
    }

    /// The TCP header (options padded to 4 bytes) and `payload` zero bytes.
    static func tcp(_ tcp: TCP) -> [UInt8] {
        var options = tcp.options
        while options.count % 4 != 0 { options.append(0) }
        let offset = UInt8((20 + options.count) / 4) << 4
        var bytes = be16(tcp.sourcePort) + be16(tcp.destinationPort) + be32(tcp.sequence) + be32(tcp.acknowledgement)
        bytes += [offset, tcp.flags.rawValue] + be16(tcp.window) + [0, 0, 0, 0]
        return bytes + options + [UInt8](repeating: 0x61, count: tcp.payload)
    }

    /// An IPv4 header around `payload`; `fragment` is the flags-and-offset field.
    static func ipv4(
        _ payload: [UInt8], source: [UInt8] = [10, 0, 0, 1], destination: [UInt8] = [10, 0, 0, 2], ttl: UInt8 = 64,
        protocolNumber: UInt8 = 6, fragment: UInt16 = 0x4000, options: [UInt8] = [], totalLength: UInt16? = nil
    ) -> [UInt8] {
        let headerLength = 20 + options.count
        let total = totalLength ?? UInt16(headerLength + payload.count)
        var header: [UInt8] = [0x40 | UInt8(headerLength / 4), 0] + be16(total) + [0, 1] + be16(fragment)
        header += [ttl, protocolNumber, 0, 0] + source + destination + options
        return header + payload
    }

    /// An IPv6 header around `payload`, with `extensions` (each a next-header value and its bytes) between.
    static func ipv6(
        _ payload: [UInt8], source: [UInt8] = Array(repeating: 0, count: 15) + [1],
        destination: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [5], hopLimit: UInt8 = 64,
        nextHeader: UInt8 = 6, extensions: [(next: UInt8, bytes: [UInt8])] = []
    ) -> [UInt8] {
        var chain: [UInt8] = []
        var first = nextHeader
        // Each extension header's first byte names the header after it.
        for (index, extensionHeader) in extensions.enumerated().reversed() {
            var bytes = extensionHeader.bytes
            bytes[0] = index == extensions.count - 1 ? nextHeader : extensions[index + 1].next
            chain = bytes + chain
            first = extensionHeader.next
        }
        let body = chain + payload
        return [0x60, 0, 0, 0] + be16(UInt16(body.count)) + [first, hopLimit] + source + destination + body
    }

    static func ethernet(_ payload: [UInt8], etherType: UInt16 = 0x0800, tags: [UInt16] = []) -> [UInt8] {
        var bytes: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]
        var types = tags + [etherType]
        bytes += be16(types.removeFirst())
        for type in types { bytes += [0x00, 0x64] + be16(type) }  // VLAN 100
        return bytes + payload
    }

    /// Ethernet with an MPLS label stack of `labels` entries, bottom of stack on the last.
    static func mpls(_ payload: [UInt8], labels: Int) -> [UInt8] {
        var bytes: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0x47]
        for index in 0..<labels {
            bytes += [0x00, 0x10, index == labels - 1 ? 0x01 : 0x00, 64]
        }
        return bytes + payload
    }

    static func linuxSLL(_ payload: [UInt8], protocolType: UInt16 = 0x0800) -> [UInt8] {
        [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0] + be16(protocolType) + payload
    }

    static func linuxSLL2(_ payload: [UInt8], protocolType: UInt16 = 0x0800) -> [UInt8] {
        be16(protocolType) + [0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0] + payload
    }

    /// BSD loopback: the address family in little-endian (NULL, as written on x86) or big-endian (LOOP).
    static func loopback(_ payload: [UInt8], family: UInt32, bigEndian: Bool) -> [UInt8] {
        (bigEndian ? be32(family) : le32(family)) + payload
    }

    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
    static func be32(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xff) } }
    static func le16(_ value: UInt16) -> [UInt8] { be16(value).reversed() }
    static func le32(_ value: UInt32) -> [UInt8] { be32(value).reversed() }
}

/// Wraps frames into whole capture files.
enum CaptureFileBuilder {
    struct Frame {
        var bytes: [UInt8]
        /// Nanoseconds since the epoch.
        var timestamp: Int64 = 1_700_000_000_123_456_000
        var interface = 0
        var originalLength: Int?
    }

    /// An Ethernet/IPv4 frame carrying `segment` (its addresses must be IPv4), captured at its timestamp.
    static func frame(_ segment: TCPSegment) -> Frame {
        let address = { (address: IPAddress) in FrameBuilder.be32(UInt32(truncatingIfNeeded: address.low)) }
        let tcp = FrameBuilder.tcp(.init(
            sourcePort: segment.sourcePort, destinationPort: segment.destinationPort, sequence: segment.sequence,
            acknowledgement: segment.acknowledgement, flags: segment.flags, payload: segment.payloadLength))
        return Frame(
            bytes: FrameBuilder.ethernet(FrameBuilder.ipv4(
                tcp, source: address(segment.source), destination: address(segment.destination))),
            timestamp: segment.timestamp)
    }

    /// A classic pcap file.
    static func pcap(_ frames: [Frame], linkType: UInt32 = 1, nanoseconds: Bool = false, bigEndian: Bool = false) -> [UInt8] {
        let u16 = bigEndian ? FrameBuilder.be16 : FrameBuilder.le16
        let u32 = bigEndian ? FrameBuilder.be32 : FrameBuilder.le32
        var bytes = u32(nanoseconds ? 0xa1b2_3c4d : 0xa1b2_c3d4) + u16(2) + u16(4) + u32(0) + u32(0) + u32(262_144)
        bytes += u32(linkType)
        for frame in frames {
            let seconds = UInt32(frame.timestamp / 1_000_000_000)
            let fraction = frame.timestamp % 1_000_000_000
            bytes += u32(seconds) + u32(UInt32(nanoseconds ? fraction : fraction / 1000))
            bytes += u32(UInt32(frame.bytes.count)) + u32(UInt32(frame.originalLength ?? frame.bytes.count))
            bytes += frame.bytes
        }
        return bytes
    }

    /// A pcapng interface: link type and an optional `if_tsresol` byte.
    struct Interface {
        var linkType: UInt16 = 1
        var resolution: UInt8?
        var snapLength: UInt32 = 0
    }

    enum Block {
        case enhanced(Frame)
        case simple([UInt8])
        case obsoletePacket(Frame)
        case unknown(type: UInt32, body: [UInt8])
    }

    /// One pcapng section: its header, the interfaces, then the blocks.
    static func pcapngSection(interfaces: [Interface], blocks: [Block], bigEndian: Bool = false) -> [UInt8] {
        let u16 = bigEndian ? FrameBuilder.be16 : FrameBuilder.le16
        let u32 = bigEndian ? FrameBuilder.be32 : FrameBuilder.le32
        func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
            var padded = body
            while padded.count % 4 != 0 { padded.append(0) }
            let length = UInt32(12 + padded.count)
            return u32(type) + u32(length) + padded + u32(length)
        }
        // Byte-order magic, version 1.0, section length unknown (-1), and a comment option.
        let comment = Array("made by a test".utf8)
        var options = u16(1) + u16(UInt16(comment.count)) + comment
        while options.count % 4 != 0 { options.append(0) }
        options += [0, 0, 0, 0]
        var bytes = block(0x0a0d_0d0a, u32(0x1a2b_3c4d) + u16(1) + u16(0) + [UInt8](repeating: 0xff, count: 8) + options)
        for interface in interfaces {
            var body = u16(interface.linkType) + u16(0) + u32(interface.snapLength)
            if let resolution = interface.resolution { body += u16(9) + u16(1) + [resolution, 0, 0, 0] }
            body += [0, 0, 0, 0]
            bytes += block(1, body)
        }
        for item in blocks {
            switch item {
            case .enhanced(let frame):
                let ticks = self.ticks(frame.timestamp, interfaces[frame.interface].resolution)
                var body = u32(UInt32(frame.interface)) + u32(UInt32(ticks >> 32)) + u32(UInt32(ticks & 0xffff_ffff))
                body += u32(UInt32(frame.bytes.count)) + u32(UInt32(frame.originalLength ?? frame.bytes.count))
                body += frame.bytes
                while body.count % 4 != 0 { body.append(0) }
                bytes += block(6, body)
            case .obsoletePacket(let frame):
                let ticks = self.ticks(frame.timestamp, interfaces[frame.interface].resolution)
                var body = u16(UInt16(frame.interface)) + u16(0) + u32(UInt32(ticks >> 32)) + u32(UInt32(ticks & 0xffff_ffff))
                body += u32(UInt32(frame.bytes.count)) + u32(UInt32(frame.originalLength ?? frame.bytes.count))
                body += frame.bytes
                while body.count % 4 != 0 { body.append(0) }
                bytes += block(2, body)
            case .simple(let data):
                bytes += block(3, u32(UInt32(data.count)) + data)
            case .unknown(let type, let body):
                bytes += block(type, body)
            }
        }
        return bytes
    }

    /// A timestamp in the units an `if_tsresol` byte gives (microseconds when absent).
    static func ticks(_ nanoseconds: Int64, _ resolution: UInt8?) -> UInt64 {
        guard let resolution else { return UInt64(nanoseconds / 1000) }
        if resolution & 0x80 != 0 {
            let shift = Int(resolution & 0x7f)
            return UInt64((Double(nanoseconds) / 1e9) * Double(UInt64(1) << UInt64(shift)))
        }
        var value = UInt64(nanoseconds)
        let exponent = Int(resolution)
        if exponent >= 9 {
            for _ in 9..<exponent { value *= 10 }
        } else {
            for _ in exponent..<9 { value /= 10 }
        }
        return value
    }
}
