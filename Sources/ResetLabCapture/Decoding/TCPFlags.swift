/// The TCP header's flag bits (the low byte of the flags field).
public struct TCPFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
    public static let ece = TCPFlags(rawValue: 0x40)
    public static let cwr = TCPFlags(rawValue: 0x80)

    /// tcpdump's spelling: `S`, `S.`, `F.`, `R`, `R.`, `P.`, `.` (ACK alone).
    public var description: String {
        var text = ""
        if self.contains(.syn) { text += "S" }
        if self.contains(.fin) { text += "F" }
        if self.contains(.rst) { text += "R" }
        if self.contains(.psh) { text += "P" }
        if self.contains(.urg) { text += "U" }
        if self.contains(.ece) { text += "E" }
        if self.contains(.cwr) { text += "W" }
        if self.contains(.ack) { text += "." }
        return text.isEmpty ? "none" : text
    }
}
