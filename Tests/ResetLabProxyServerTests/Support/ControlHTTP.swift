import Foundation

/// One answer of the control API over real HTTP.
struct HTTPResponse: Sendable {
    var status: Int
    /// Header fields by lower-case name.
    var headers: [String: String]
    var body: String

    /// The body as a JSON object, or `nil`.
    var jsonObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(self.body.utf8))) as? [String: Any]
    }

    var jsonArray: [Any]? {
        (try? JSONSerialization.jsonObject(with: Data(self.body.utf8))) as? [Any]
    }
}

/// A minimal blocking HTTP/1.1 client for the control API on 127.0.0.1 (one connection per request).
enum ControlHTTP {
    static func request(port: Int, _ method: String, _ path: String, body: String? = nil) throws -> HTTPResponse {
        let socket = try TestSocket.connect(port: port)
        defer { socket.close() }
        let payload = Array((body ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: resetlab-tests\r\n"
        head += "Connection: close\r\nContent-Length: \(payload.count)\r\n"
        if body != nil { head += "Content-Type: application/json\r\n" }
        try socket.send(Array((head + "\r\n").utf8) + payload)
        let (bytes, end) = socket.readToEnd(timeout: 10_000)
        guard end == .endOfStream else { throw SocketError(operation: "\(method) \(path): read", code: EAGAIN) }
        return try Self.parse(bytes, what: "\(method) \(path)")
    }

    private static func parse(_ bytes: [UInt8], what: String) throws -> HTTPResponse {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let separator = text.range(of: "\r\n\r\n") else { throw HTTPParseError(what: what, text: text) }
        let lines = text[..<separator.lowerBound].components(separatedBy: "\r\n")
        let statusWords = lines.first?.split(separator: " ") ?? []
        guard statusWords.count >= 2, let status = Int(statusWords[1]) else {
            throw HTTPParseError(what: what, text: text)
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return HTTPResponse(status: status, headers: headers, body: String(text[separator.upperBound...]))
    }
}

struct HTTPParseError: Error, CustomStringConvertible {
    var what: String
    var text: String

    var description: String { "\(self.what): malformed HTTP response: \(self.text.prefix(200))" }
}

/// Samples of the Prometheus text at `/metrics`.
struct MetricsText {
    let text: String

    /// The value of `name` whose labels include all of `labels`.
    func value(_ name: String, _ labels: [String: String]) -> Int? {
        for line in self.text.split(separator: "\n") where line.hasPrefix(name + "{") {
            guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else { continue }
            var found: [String: String] = [:]
            for pair in line[line.index(after: open)..<close].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                found[String(parts[0])] = String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard labels.allSatisfy({ found[$0.key] == $0.value }) else { continue }
            return Int(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
