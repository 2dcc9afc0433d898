import ResetLabProbe

/// Opens connections one after another, each held open and taken through the protocol's greeting (and
/// for FTP the login), until the server refuses one or `--max-conns` is reached: the server's per-client
/// limit, and how it refuses (a `421` or `530` reply, RST, FIN, silence).
enum ConnectionRamp {
    static func run(_ session: inout ProbeSession, address: ProbeAddress) {
        let maximum = session.options.maxConnections
        let timeout = session.options.timeout
        var open: [ProbeSocket] = []
        defer { for socket in open { socket.close() } }
        let started = Clock.now
        for index in 1...maximum {
            let refusal: Breakage?
            switch ProbeSocket.connect(to: address, port: session.target.port, timeout: timeout) {
            case .failure(let breakage): refusal = breakage
            case .success(let socket):
                refusal = Self.greet(socket, session: session)
                if refusal == nil { open.append(socket) } else { socket.close() }
            }
            if let refusal {
                session.findings.connectionLimit = (index - 1, refusal)
                session.record(ProbeStep(
                    title: "Connection limit", status: .warning, milliseconds: (Clock.now - started) * 1000,
                    summary: "\(index - 1) connections at once work; connection \(index) was refused: \(Self.words(refusal))"))
                return
            }
        }
        session.findings.connectionRampPassed = maximum
        session.record(ProbeStep(
            title: "Connection limit", status: .ok, milliseconds: (Clock.now - started) * 1000,
            summary: "\(maximum) connections at once all work"))
    }

    /// Takes a fresh connection through the greeting (FTP: and the login); `nil` when the server accepted it.
    static func greet(_ socket: ProbeSocket, session: ProbeSession) -> Breakage? {
        let timeout = session.options.timeout
        func expect(_ result: Result<ServerReply, Breakage>, _ codes: Set<Int>) -> Breakage? {
            switch result {
            case .success(let reply) where codes.contains(reply.code): nil
            case .success(let reply): .errorReply(code: reply.code, text: reply.lines.first ?? "")
            case .failure(let breakage): breakage
            }
        }
        switch session.target.scheme {
        case .smtp:
            return expect(socket.readReply(timeout: timeout), [220]) ?? expect(socket.command("EHLO \(session.options.heloName)", timeout: timeout), [250])
        case .ftp:
            if let refusal = expect(socket.readReply(timeout: timeout), [220]) { return refusal }
            let user = session.target.user ?? "anonymous"
            switch socket.command("USER \(user)", timeout: timeout) {
            case .success(let reply) where reply.code == 230: return nil
            case .success(let reply) where reply.code == 331:
                let password = session.target.password ?? (session.target.user == nil ? "resetlab-probe@example.com" : "")
                return expect(socket.command("PASS \(password)", timeout: timeout), [230])
            case .success(let reply): return .errorReply(code: reply.code, text: reply.lines.first ?? "")
            case .failure(let breakage): return breakage
            }
        default:
            // No greeting to wait for: a connection that is closed or reset at once was refused.
            return socket.waitForEnd(timeout: 0.2)
        }
    }

    static func words(_ breakage: Breakage) -> String {
        switch breakage {
        case .errorReply(let code, let text): "\(code) \(text)"
        default: SMTPConversation.words(breakage)
        }
    }
}
