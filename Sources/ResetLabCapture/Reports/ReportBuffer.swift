/// Report text built as UTF-8 bytes: the formats that print a line per connection write their fields here
/// digit by digit, without a `String` per field, because a capture can hold millions of connections.
public struct ReportBuffer: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1 << 16) {
        self.bytes.reserveCapacity(capacity)
    }

    public var isEmpty: Bool { self.bytes.isEmpty }
    public var count: Int { self.bytes.count }

    /// The text so far, emptied.
    public mutating func take() -> String {
        defer { self.bytes.removeAll(keepingCapacity: true) }
        return String(decoding: self.bytes, as: UTF8.self)
    }

    public mutating func append(_ text: String) {
        self.bytes.append(contentsOf: text.utf8)
    }

    public mutating func append(byte: UInt8) {
        self.bytes.append(byte)
    }

    /// A non-negative or negative integer in decimal.
    public mutating func append(decimal value: Int) {
        if value < 0 { self.bytes.append(UInt8(ascii: "-")) }
        self.appendDigits(value.magnitude, minimumWidth: 1)
    }

    /// An address: dotted quad for IPv4, RFC 5952 text for IPv6.
    public mutating func append(address: IPAddress) {
        guard !address.isIPv6 else {
            self.append(address.description)
            return
        }
        let value = UInt32(truncatingIfNeeded: address.low)
        for shift in [24, 16, 8, 0] as [UInt32] {
            if shift != 24 { self.bytes.append(UInt8(ascii: ".")) }
            self.appendDigits(UInt((value >> shift) & 0xff), minimumWidth: 1)
        }
    }

    /// Nanoseconds as seconds with six decimals, the way Zeek writes `ts` and `duration`: `1764051677.862451`.
    public mutating func append(seconds nanoseconds: Int64) {
        if nanoseconds < 0 { self.bytes.append(UInt8(ascii: "-")) }
        let magnitude = nanoseconds.magnitude
        self.appendDigits(UInt(magnitude / 1_000_000_000), minimumWidth: 1)
        self.bytes.append(UInt8(ascii: "."))
        self.appendDigits(UInt(magnitude % 1_000_000_000 / 1_000), minimumWidth: 6)
    }

    /// `value` in decimal, with leading zeros up to `minimumWidth` digits.
    private mutating func appendDigits(_ value: UInt, minimumWidth: Int) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0 || count < minimumWidth
            self.bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }
}
