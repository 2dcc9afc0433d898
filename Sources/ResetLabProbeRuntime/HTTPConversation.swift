import ResetLabProbe

/// An HTTP/1.1 exchange: a request and its response, and a second request on the same connection
/// (keep-alive reuse). How long the server keeps an idle keep-alive connection is found by `--idle`.
enum HTTPConversation {
    static func run(_ session: inout ProbeSession, address: ProbeAddress) {
        guard let socket = session.open(address, step: "HTTP connect") else { return }
        defer { socket.close() }
        if session.target.scheme == .https {
            guard session.handshake(socket, title: "TLS") else { return }
        }
        guard let first = Self.exchange(&session, socket, title: "HTTP request") else { return }
        guard first.keepAlive else {
            session.record(ProbeStep(title: "HTTP keep-alive", status: .warning, summary: "the server closes the connection after each response (Connection: close)"))
            return
        }
        guard Self.exchange(&session, socket, title: "HTTP keep-alive") != nil else { return }
        // How long the server keeps an idle keep-alive connection is found by --idle, with the rest.
    }

    struct Response {
        var statusLine: String
        var keepAlive: Bool
        var bodyBytes: Int
    }

    /// Sends a GET and reads the response; records the step.
    static func exchange(_ session: inout ProbeSession, _ socket: ProbeSocket, title: String) -> Response? {
        let host = session.target.host.contains(":") ? "[\(session.target.host)]" : session.target.host
        let request = "GET \(session.target.path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: resetlab-probe\r\nAccept: */*\r\n\r\n"
        let started = Clock.now
        if let breakage = socket.send(Array(request.utf8)) {
            session.record(ProbeStep(title: title, status: .failed, summary: "sending the request failed: \(breakage.shortName)", breakage: breakage))
            return nil
        }
        switch Self.readResponse(socket, timeout: session.options.timeout) {
        case .success(let response):
            let elapsed = (Clock.now - started) * 1000
            let code = Int(response.statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
            let status: ProbeStep.Status = code >= 500 ? .warning : .ok
            session.record(ProbeStep(
                title: title, status: status, milliseconds: elapsed,
                summary: "\(response.statusLine), \(response.bodyBytes) bytes" + (response.keepAlive ? "" : ", Connection: close")))
            return response
        case .failure(let breakage):
            session.record(ProbeStep(
                title: title, status: .failed, milliseconds: (Clock.now - started) * 1000,
                summary: SMTPConversation.words(breakage), breakage: breakage))
            return nil
        }
    }

    /// Reads a status line, headers and a body framed by Content-Length or chunked encoding.
    static func readResponse(_ socket: ProbeSocket, timeout: Double) -> Result<Response, Breakage> {
        let statusLine: String
        switch socket.readLine(timeout: timeout) {
        case .success(let line): statusLine = line
        case .failure(let breakage): return .failure(breakage)
        }
        var length: Int?
        var chunked = false
        var keepAlive = statusLine.hasPrefix("HTTP/1.1")
        while true {
            switch socket.readLine(timeout: timeout) {
            case .failure(let breakage): return .failure(breakage)
            case .success(let line):
                if line.isEmpty {
                    var body = 0
                    if chunked {
                        while true {
                            guard case .success(let sizeLine) = socket.readLine(timeout: timeout),
                                let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16)
                            else { return .failure(.closed) }
                            if size == 0 {
                                _ = socket.readLine(timeout: timeout)
                                break
                            }
                            guard Self.skip(socket, size + 2, timeout: timeout) else { return .failure(.closed) }
                            body += size
                        }
                    } else if let length {
                        guard Self.skip(socket, length, timeout: timeout) else { return .failure(.closed) }
                        body = length
                    } else {
                        keepAlive = false
                    }
                    return .success(Response(statusLine: statusLine, keepAlive: keepAlive, bodyBytes: body))
                }
                let lowered = line.lowercased()
                if lowered.hasPrefix("content-length:") { length = Int(lowered.dropFirst(15).trimmingCharacters(in: " ")) }
                if lowered.hasPrefix("transfer-encoding:") && lowered.contains("chunked") { chunked = true }
                if lowered.hasPrefix("connection:") {
                    if lowered.contains("close") { keepAlive = false }
                    if lowered.contains("keep-alive") { keepAlive = true }
                }
            }
        }
    }

    private static func skip(_ socket: ProbeSocket, _ count: Int, timeout: Double) -> Bool {
        var left = count
        while left > 0 {
            guard case .success(let bytes) = socket.read(capacity: min(left, 65_536), timeout: timeout) else { return false }
            left -= bytes.count
        }
        return true
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(self.drop(while: { $0 == set }).reversed().drop(while: { $0 == set }).reversed())
    }
}
