/// One name and number that a platform gives to a condition, e.g. `WSAECONNRESET` = 10054 in Winsock.
public struct ErrorCode: Sendable, Hashable {
    /// Which platform or library defines the code.
    public var namespace: CodeNamespace
    /// The symbolic name, exactly as the platform spells it (`ECONNRESET`, `SocketError.ConnectionReset`).
    public var name: String
    /// The numeric value. HRESULTs are stored as their unsigned 32-bit value.
    public var value: Int64

    public init(namespace: CodeNamespace, name: String, value: Int64) {
        self.namespace = namespace
        self.name = name
        self.value = value
    }

    /// The number as the platform writes it: decimal, or `0x` and eight hex digits for HRESULTs.
    public var formattedValue: String {
        guard self.namespace.isHexadecimal else { return String(self.value) }
        let hex = String(self.value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    /// For an HRESULT, the signed 32-bit form that .NET and many logs print (0x800CCC0E = -2146644978).
    public var signedHResult: Int64? {
        guard self.namespace == .hresult, self.value >= 0x8000_0000 else { return nil }
        return self.value - 0x1_0000_0000
    }
}
