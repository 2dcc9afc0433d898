#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Who most likely sent the RSTs a probe received: the server's host, or a device in between. A RST whose
/// TTL differs from the server's own SYN-ACKs was most likely forged on the way (a firewall, an antivirus,
/// a load balancer).
public enum ResetOrigin: Sendable, Equatable {
    /// The RSTs came with the server's own TTL.
    case server(ttl: UInt8)
    /// A RST came with another TTL than the server's SYN-ACKs.
    case injected(resetTTL: UInt8, serverTTL: UInt8)

    /// One TCP segment that arrived from the probed port.
    public struct Segment: Sendable, Equatable {
        /// The sender's address as text (`192.0.2.1`).
        public var source: String
        public var ttl: UInt8
        /// The TCP flags byte.
        public var flags: UInt8

        public init(source: String, ttl: UInt8, flags: UInt8) {
            self.source = source
            self.ttl = ttl
            self.flags = flags
        }

        /// Reads an IPv4 or IPv6 packet carrying TCP (no IPv6 extension headers): the source address as the
        /// resolver writes it (`inet_ntop`), the TTL or hop limit, and the TCP flags. `nil` for anything
        /// shorter or else.
        public init?(ipPacket packet: some Collection<UInt8>) {
            let bytes = Array(packet)
            guard let first = bytes.first else { return nil }
            switch first >> 4 {
            case 4:
                let headerLength = Int(first & 0x0f) * 4
                guard headerLength >= 20, bytes.count >= headerLength + 14, bytes[9] == 6 else { return nil }
                let source = bytes[12..<16].map(String.init).joined(separator: ".")
                self.init(source: source, ttl: bytes[8], flags: bytes[headerLength + 13])
            case 6:
                guard bytes.count >= 40 + 14, bytes[6] == 6 else { return nil }
                var address = in6_addr()
                withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes[8..<24]) }
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
                guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return nil }
                self.init(source: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), ttl: bytes[7], flags: bytes[40 + 13])
            default:
                return nil
            }
        }

        var isReset: Bool { self.flags & 0x04 != 0 }
        var isSynAck: Bool { self.flags & 0x12 == 0x12 }
    }

    /// Judges the segments that came from `peers` (the probed host's addresses); segments from other
    /// hosts that happen to use the same port are left out. `nil` when none of them is a RST.
    public static func judge(_ segments: [Segment], from peers: Set<String>) -> ResetOrigin? {
        let ours = segments.filter { peers.contains($0.source) }
        guard let firstReset = ours.first(where: \.isReset) else { return nil }
        let synAckTTLs = ours.filter(\.isSynAck).map(\.ttl)
        if let usual = synAckTTLs.first, synAckTTLs.allSatisfy({ $0 == usual }),
            let odd = ours.first(where: { $0.isReset && $0.ttl != usual })
        {
            return .injected(resetTTL: odd.ttl, serverTTL: usual)
        }
        return .server(ttl: firstReset.ttl)
    }
}
