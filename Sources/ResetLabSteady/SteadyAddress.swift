/// Where a Steady server listens or a client connects: `tcp://HOST:PORT`, `HOST:PORT` or `[IPv6]:PORT`.
public struct SteadyAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `text`; `allowPortZero` for a listener (port 0 picks a free one).
    /// - Throws: ``Problem`` naming what is wrong.
    public init(parsing text: String, allowPortZero: Bool = false) throws(Problem) {
        var rest = Substring(text)
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            guard rest[..<colon].lowercased() == "tcp" else {
                throw Problem("'\(text)': only tcp:// addresses are supported; write tcp://HOST:PORT, e.g. tcp://127.0.0.1:7400")
            }
            rest = rest[rest.index(colon, offsetBy: 3)...]
        }
        if rest.hasSuffix("/") { rest.removeLast() }
        let host: Substring
        let port: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                throw Problem("'\(text)': an IPv6 address is written [ADDRESS]:PORT, e.g. [::1]:7400")
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            port = rest[rest.index(close, offsetBy: 2)...]
        } else {
            guard let colon = rest.lastIndex(of: ":"), !rest[..<colon].contains(":") else {
                throw Problem("'\(text)': expected HOST:PORT, e.g. 127.0.0.1:7400 or tcp://server.example:7400")
            }
            host = rest[..<colon]
            port = rest[rest.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw Problem("'\(text)': the host is missing or has spaces or slashes")
        }
        guard let number = Int(port), (allowPortZero ? 0 : 1)...65_535 ~= number else {
            throw Problem("'\(text)': the port must be a number from \(allowPortZero ? 0 : 1) to 65535")
        }
        self.host = String(host)
        self.port = number
    }

    public var description: String { self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)" }

    /// Why an address could not be parsed.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
