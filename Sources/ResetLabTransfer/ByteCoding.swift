/// Reads big-endian integers and byte runs from a byte array; every read returns `nil` past the end.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { self.bytes.count - self.index }

    mutating func readUInt8() -> UInt8? {
        guard self.remaining >= 1 else { return nil }
        defer { self.index += 1 }
        return self.bytes[self.index]
    }

    mutating func readUInt16() -> UInt16? {
        self.readInteger(UInt16.self)
    }

    mutating func readUInt32() -> UInt32? {
        self.readInteger(UInt32.self)
    }

    mutating func readUInt64() -> UInt64? {
        self.readInteger(UInt64.self)
    }

    mutating func readBytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, self.remaining >= count else { return nil }
        defer { self.index += count }
        return Array(self.bytes[self.index..<self.index + count])
    }

    private mutating func readInteger<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) -> T? {
        let width = MemoryLayout<T>.size
        guard self.remaining >= width else { return nil }
        var value: T = 0
        for byte in self.bytes[self.index..<self.index + width] {
            value = value << 8 | T(byte)
        }
        self.index += width
        return value
    }
}

/// Appends big-endian integers and byte runs to a byte array.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: UInt8) {
        self.bytes.append(value)
    }

    mutating func write(_ value: UInt16) {
        self.writeInteger(value)
    }

    mutating func write(_ value: UInt32) {
        self.writeInteger(value)
    }

    mutating func write(_ value: UInt64) {
        self.writeInteger(value)
    }

    mutating func write(contentsOf bytes: some Sequence<UInt8>) {
        self.bytes.append(contentsOf: bytes)
    }

    private mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        let width = MemoryLayout<T>.size
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            self.bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }
}
