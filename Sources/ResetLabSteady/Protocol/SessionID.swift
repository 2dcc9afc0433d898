/// Names one messaging session: the conversation between one client and one server that outlives any
/// single TCP connection. 128 random bits, chosen by the client when it starts (or read back from its
/// journal), printed as 32 hexadecimal digits.
public struct SessionID: Sendable, Hashable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A fresh random identifier.
    public static func random() -> SessionID {
        var generator = SystemRandomNumberGenerator()
        return SessionID(high: generator.next(), low: generator.next())
    }

    /// Parses 32 hexadecimal digits; `nil` for anything else.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 32,
            let high = UInt64(hex.prefix(16), radix: 16), let low = UInt64(hex.suffix(16), radix: 16)
        else { return nil }
        self.init(high: high, low: low)
    }

    public var description: String {
        Self.hex(self.high) + Self.hex(self.low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
