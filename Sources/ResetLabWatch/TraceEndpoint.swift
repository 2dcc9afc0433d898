/// An address and port as the TCP tracepoints print them.
public struct TraceEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var address: String
    public var port: Int

    public init(address: String, port: Int) {
        self.address = address
        self.port = port
    }

    /// `127.0.0.1:80` or `[::1]:80` (the `%pISpc` form of `tcp_send_reset`).
    public init?(combined text: Substring) {
        let bytes = text.utf8
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")), let port = Int(Substring(text[bytes.index(after: colon)...])) else { return nil }
        var address = text[..<colon]
        if bytes.first == UInt8(ascii: "[") {
            guard address.utf8.last == UInt8(ascii: "]") else { return nil }
            address = address.dropFirst().dropLast()
        }
        self.init(address: String(address), port: port)
    }

    /// An address in network byte order (4 bytes for IPv4, 16 for IPv6), as the socket table gives it.
    public init?(addressBytes bytes: some Collection<UInt8>, port: Int) {
        let bytes = Array(bytes)
        switch bytes.count {
        case 4: self.init(address: bytes.map(String.init).joined(separator: "."), port: port)
        case 16: self.init(address: Self.ipv6Text(bytes), port: port)
        default: return nil
        }
    }

    /// The address as people write it: an IPv4-mapped IPv6 address as the IPv4 address it carries.
    public var host: String {
        let bytes = self.address.utf8
        return bytes.starts(with: "::ffff:".utf8) && bytes.contains(UInt8(ascii: ".")) ? String(self.address.dropFirst(7)) : self.address
    }

    /// Whether the address is a loopback one (127.0.0.0/8, ::1): then both ends are on this host.
    public var isLoopback: Bool {
        self.host.hasPrefix("127.") || self.host == "::1"
    }

    public var description: String {
        let host = self.host
        return host.utf8.contains(UInt8(ascii: ":")) ? "[" + host + "]:" + String(self.port) : host + ":" + String(self.port)
    }

    /// RFC 5952 text, as the kernel's `%pI6c` prints it: lower-case groups, the longest run of two or more
    /// zero groups as `::`, an IPv4-mapped address as `::ffff:a.b.c.d`.
    static func ipv6Text(_ bytes: [UInt8]) -> String {
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return "::ffff:" + bytes[12...].map(String.init).joined(separator: ".")
        }
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
