/// An IPv4 or IPv6 address as two integers, so that a connection key hashes and compares without
/// allocating. An IPv4 address lives in the low 32 bits of ``low``.
public struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first 8 bytes of an IPv6 address, in network order as a big-endian integer; 0 for IPv4.
    public var high: UInt64
    /// The last 8 bytes of an IPv6 address, or the IPv4 address in the low 32 bits.
    public var low: UInt64
    /// Whether this is an IPv6 address.
    public var isIPv6: Bool

    public init(high: UInt64, low: UInt64, isIPv6: Bool) {
        self.high = high
        self.low = low
        self.isIPv6 = isIPv6
    }

    /// An IPv4 address from its 32-bit value in host order (`0x7f000001` is 127.0.0.1).
    public init(ipv4 value: UInt32) {
        self.init(high: 0, low: UInt64(value), isIPv6: false)
    }

    /// Reads 4 (IPv4) or 16 (IPv6) bytes in network order at `offset`. The caller checks the bounds.
    @inlinable
    public init(bytes: UnsafeRawBufferPointer, at offset: Int, isIPv6: Bool) {
        if isIPv6 {
            self.init(high: bytes.loadBigEndianUInt64(at: offset), low: bytes.loadBigEndianUInt64(at: offset + 8), isIPv6: true)
        } else {
            self.init(ipv4: bytes.loadBigEndianUInt32(at: offset))
        }
    }

    /// Dotted quad for IPv4; RFC 5952 text (longest zero run compressed, lower-case hex) for IPv6.
    public var description: String {
        guard self.isIPv6 else {
            // Written digit by digit: addresses are printed once per connection in every report.
            let value = UInt32(truncatingIfNeeded: self.low)
            var text = ""
            for shift in [24, 16, 8, 0] as [UInt32] {
                let octet = (value >> shift) & 0xff
                if shift != 24 { text.unicodeScalars.append(".") }
                if octet >= 100 { text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + octet / 100))) }
                if octet >= 10 { text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + octet / 10 % 10))) }
                text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + octet % 10)))
            }
            return text
        }
        let groups: [UInt16] = (0..<8).map { index in
            let word = index < 4 ? self.high : self.low
            return UInt16(truncatingIfNeeded: word >> (48 - 16 * UInt64(index % 4)))
        }
        // The longest run of two or more zero groups is written as "::" (the first such run on a tie).
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > bestLength && end - index >= 2 {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let head = hex[0..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        (lhs.isIPv6 ? 1 : 0, lhs.high, lhs.low) < (rhs.isIPv6 ? 1 : 0, rhs.high, rhs.low)
    }
}

extension UnsafeRawBufferPointer {
    /// A big-endian 16-bit value at `offset`; the caller checks the bounds.
    @inlinable
    public func loadBigEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// A big-endian 32-bit value at `offset`; the caller checks the bounds.
    @inlinable
    public func loadBigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(bigEndian: self.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// A big-endian 64-bit value at `offset`; the caller checks the bounds.
    @inlinable
    public func loadBigEndianUInt64(at offset: Int) -> UInt64 {
        UInt64(bigEndian: self.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
