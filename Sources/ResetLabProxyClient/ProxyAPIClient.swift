import CResetLabLinux
import Foundation

/// A small blocking client for the Toxiproxy-compatible control API (ResetLab's or Toxiproxy's own),
/// used by the `resetlab proxy` client subcommands.
public struct ProxyAPIClient: Sendable {
    /// A failure talking to the API, with a message a user can act on.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// The HTTP status, when the server answered.
        public var status: Int?
    }

    /// A parsed response.
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]

        /// The body as a JSON value.
        public func json() throws -> Any {
            do {
                return try JSONSerialization.jsonObject(with: Data(self.body), options: [.fragmentsAllowed])
            } catch {
                throw Failure(description: "the API answered with something that is not JSON", status: self.status)
            }
        }
    }

    public let host: String
    public let port: UInt16

    /// - Parameter url: `http://host:port`, as toxiproxy-cli's `--host` and `TOXIPROXY_URL` take it.
    public init(url: String) throws {
        var rest = Substring(url)
        if rest.hasPrefix("http://") { rest = rest.dropFirst("http://".count) }
        if rest.hasPrefix("https://") {
            throw Failure(description: "https is not supported for the control API; use http://HOST:PORT", status: nil)
        }
        rest = rest.prefix { $0 != "/" }
        let host: Substring
        let port: UInt16
        if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            guard let parsed = UInt16(rest[rest.index(after: colon)...]) else {
                throw Failure(description: "'\(url)' has no valid port; use http://HOST:PORT", status: nil)
            }
            port = parsed
        } else {
            host = rest
            port = 8474
        }
        self.host = host.isEmpty || host == "localhost" ? "127.0.0.1" : String(host)
        self.port = port
    }

    /// Sends one request and returns the response, whatever its status.
    public func request(_ method: String, _ path: String, body: Any? = nil) throws -> Response {
        var payload: [UInt8] = []
        if let body {
            payload = Array(try JSONSerialization.data(withJSONObject: body))
        }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(self.host):\(self.port)\r\nUser-Agent: resetlab\r\n"
        head += "Accept: application/json\r\nConnection: close\r\nContent-Length: \(payload.count)\r\n"
        if !payload.isEmpty { head += "Content-Type: application/json\r\n" }
        head += "\r\n"
        let fd = rl_tcp_connect(self.host, self.port, 0, 0)
        guard fd >= 0 else {
            let name = rl_errno_name(-fd).map { String(cString: $0) } ?? "error \(-fd)"
            throw Failure(
                description: "cannot reach the proxy API at \(self.host):\(self.port) (\(name)); is 'resetlab proxy serve' running?",
                status: nil
            )
        }
        defer { _ = rl_close(fd) }
        _ = rl_set_receive_timeout(fd, 30_000)
        let request = Array(head.utf8) + payload
        var offset = 0
        while offset < request.count {
            let written = request[offset...].withUnsafeBytes { rl_send(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure(description: "the API closed the connection while we wrote", status: nil) }
            offset += written
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { rl_recv(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            received += chunk.prefix(count)
        }
        return try Self.parse(received)
    }

    /// Parses an HTTP/1.1 response (Content-Length, chunked, or read-to-close bodies).
    static func parse(_ bytes: [UInt8]) throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { bytes[$0..<$0 + 4].elementsEqual(separator) }) else {
            throw Failure(description: "the API sent an incomplete HTTP response", status: nil)
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "the API sent a malformed status line", status: nil)
        }
        var body = Array(bytes[(end + 4)...])
        let chunked = lines.dropFirst().contains { $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked") }
        if chunked { body = Self.dechunk(body) }
        return Response(status: status, body: body)
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else { break }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { break }
            out += bytes[start..<start + size]
            index = start + size + 2
        }
        return out
    }
}
