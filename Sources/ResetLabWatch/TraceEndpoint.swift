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
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let portStart = text.index(after: close)
            guard text[portStart...].hasPrefix(":"), let port = Int(text[text.index(after: portStart)...]) else { return nil }
            self.init(address: String(text[text.index(after: text.startIndex)..<close]), port: port)
        } else {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
            self.init(address: String(text[..<colon]), port: port)
        }
    }

    /// The address as people write it: an IPv4-mapped IPv6 address as the IPv4 address it carries.
    public var host: String {
        self.address.hasPrefix("::ffff:") && self.address.contains(".") ? String(self.address.dropFirst(7)) : self.address
    }

    public var description: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }
}
