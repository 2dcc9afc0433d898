/// The control bits of a TCP header (RFC 9293 §3.1).
public struct TCPFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)

    /// Letters as tcpdump-like tools abbreviate them: `S`, `SA`, `FA`, `PA`, `R`, `RA`, `FPA` …
    public var letters: String {
        var text = ""
        if self.contains(.syn) { text += "S" }
        if self.contains(.fin) { text += "F" }
        if self.contains(.rst) { text += "R" }
        if self.contains(.psh) { text += "P" }
        if self.contains(.urg) { text += "U" }
        if self.contains(.ack) { text += "A" }
        return text.isEmpty ? "." : text
    }
}
