/// Report text built as UTF-8 bytes: the formats that print a line per connection write their fields here
/// digit by digit, without a `String` per field, because a capture can hold millions of connections.
///
/// It owns its bytes and cannot be copied, so a write needs no check that the storage is shared.
public struct ReportBuffer: ~Copyable {
    /// The storage; the text is its first ``count`` bytes.
    private var storage: UnsafeMutableBufferPointer<UInt8>
    public private(set) var count = 0

    public init(capacity: Int = 1 << 16) {
        self.storage = .allocate(capacity: max(capacity, 64))
    }

    deinit {
        self.storage.deallocate()
    }

    public var isEmpty: Bool { self.count == 0 }

    /// The text so far, emptied.
    public mutating func take() -> String {
        defer { self.count = 0 }
        return String(decoding: UnsafeBufferPointer(rebasing: self.storage[0..<self.count]), as: UTF8.self)
    }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            guard let source = utf8.baseAddress, !utf8.isEmpty else { return }
            self.write(upTo: utf8.count) { out in
                out.baseAddress?.update(from: source, count: utf8.count)
                return utf8.count
            }
        }
    }

    public mutating func append(byte: UInt8) {
        self.write(upTo: 1) { out in
            out[0] = byte
            return 1
        }
    }

    /// A non-negative or negative integer in decimal.
    public mutating func append(decimal value: Int) {
        self.write(upTo: 21) { out in
            var written = 0
            if value < 0 {
                out[0] = UInt8(ascii: "-")
                written = 1
            }
            return written + Self.digits(UInt(value.magnitude), minimumWidth: 1, into: out, at: written)
        }
    }

    /// An address: dotted quad for IPv4, RFC 5952 text for IPv6.
    public mutating func append(address: IPAddress) {
        guard !address.isIPv6 else {
            self.append(address.description)
            return
        }
        let value = UInt32(truncatingIfNeeded: address.low)
        self.write(upTo: 15) { out in
            var written = 0
            for shift in stride(from: 24, through: 0, by: -8) {
                if shift != 24 {
                    out[written] = UInt8(ascii: ".")
                    written += 1
                }
                written += Self.digits(UInt((value >> UInt32(shift)) & 0xff), minimumWidth: 1, into: out, at: written)
            }
            return written
        }
    }

    /// Nanoseconds as seconds with six decimals, the way Zeek writes `ts` and `duration`: `1764051677.862451`.
    public mutating func append(seconds nanoseconds: Int64) {
        let magnitude = nanoseconds.magnitude
        self.write(upTo: 28) { out in
            var written = 0
            if nanoseconds < 0 {
                out[0] = UInt8(ascii: "-")
                written = 1
            }
            written += Self.digits(UInt(magnitude / 1_000_000_000), minimumWidth: 1, into: out, at: written)
            out[written] = UInt8(ascii: ".")
            written += 1
            let microseconds = UInt(magnitude % 1_000_000_000 / 1_000)
            return written + Self.digits(microseconds, minimumWidth: 6, into: out, at: written)
        }
    }

    /// Lends room for at least `maximum` more bytes; `body` writes from the start and returns how many.
    @inline(__always)
    private mutating func write(upTo maximum: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        if self.count + maximum > self.storage.count { self.grow(toHold: self.count + maximum) }
        let room = UnsafeMutableBufferPointer(rebasing: self.storage[self.count..<(self.count + maximum)])
        self.count += body(room)
    }

    /// Moves the text to storage at least twice as large and able to hold `needed` bytes.
    private mutating func grow(toHold needed: Int) {
        let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(self.storage.count * 2, needed))
        _ = larger.initialize(from: self.storage[0..<self.count])
        self.storage.deallocate()
        self.storage = larger
    }

    /// Writes `value` in decimal at `offset`, with leading zeros up to `minimumWidth` digits (at most 20);
    /// returns how many digits.
    @inline(__always)
    private static func digits(
        _ value: UInt, minimumWidth: Int, into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int
    ) -> Int {
        var width = 1
        var limit: UInt = 10
        while width < 20 && value >= limit {
            width += 1
            limit = limit &* 10
        }
        width = max(width, minimumWidth)
        var rest = value
        for index in stride(from: offset + width - 1, through: offset, by: -1) {
            out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        return width
    }
}
