/// One row of `/proc/net/tcp` or `/proc/net/tcp6`: a socket's two ends and its inode, which leads to the
/// process holding it (the way `ss -p` finds it).
public struct SocketTableEntry: Sendable, Equatable {
    public var local: TraceEndpoint
    public var remote: TraceEndpoint
    public var inode: UInt64

    /// Parses a row; `nil` for the header and malformed rows.
    public init?(_ row: Substring) {
        let columns = row.split(separator: " ")
        guard columns.count > 9, let local = Self.endpoint(columns[1]), let remote = Self.endpoint(columns[2]),
            let inode = UInt64(columns[9])
        else { return nil }
        self.local = local
        self.remote = remote
        self.inode = inode
    }

    /// `0100007F:A3FB` (IPv4, in the kernel's byte order) or 32 hex digits for IPv6 (four 32-bit words,
    /// each in the kernel's byte order).
    static func endpoint(_ text: Substring) -> TraceEndpoint? {
        guard let colon = text.firstIndex(of: ":"), let port = Int(text[text.index(after: colon)...], radix: 16) else { return nil }
        let hex = text[..<colon]
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        // Each 32-bit word is printed as a little-endian number: its bytes come reversed.
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        var ordered: [UInt8] = []
        for word in stride(from: 0, to: bytes.count, by: 4) { ordered += bytes[word..<word + 4].reversed() }
        if ordered.count == 4 {
            return TraceEndpoint(address: ordered.map(String.init).joined(separator: "."), port: port)
        }
        if ordered[0..<10].allSatisfy({ $0 == 0 }) && ordered[10] == 0xff && ordered[11] == 0xff {
            return TraceEndpoint(address: ordered[12...].map(String.init).joined(separator: "."), port: port)
        }
        return TraceEndpoint(address: Self.ipv6Text(ordered), port: port)
    }

    /// RFC 5952 text: lower-case groups, the longest run of two or more zero groups as `::`.
    static func ipv6Text(_ bytes: [UInt8]) -> String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var best = (start: -1, length: 0)
        var run = (start: -1, length: 0)
        for (index, group) in groups.enumerated() {
            if group == 0 {
                run = run.start < 0 ? (index, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        let text = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return text.joined(separator: ":") }
        return text[..<best.start].joined(separator: ":") + "::" + text[(best.start + best.length)...].joined(separator: ":")
    }
}
