import ResetLabProbe

/// The SMTP conversation a mail client holds, step by step: banner, EHLO, STARTTLS (when offered), EHLO
/// again, and on request a test message; each step says what came back or how it broke.
enum SMTPConversation {
    static func run(_ session: inout ProbeSession, address: ProbeAddress) {
        guard let socket = session.open(address, step: "SMTP connect") else { return }
        defer { socket.close() }
        let timeout = session.options.timeout
        let helo = "EHLO \(session.options.heloName)"
        if session.target.scheme == .smtps {
            guard session.handshake(socket, title: "TLS") else { return }
        }
        guard Self.step(&session, "SMTP banner", socket.readReply(timeout: timeout), expect: 220) != nil else { return }
        guard let ehlo = Self.step(&session, "SMTP EHLO", socket.command(helo, timeout: timeout), expect: 250, details: Self.describe)
        else { return }
        var capabilities = SMTPCapabilities(ehlo: ehlo)
        session.findings.smtpStartTLSOffered = capabilities.startTLS
        session.findings.smtpAuthBeforeTLS = capabilities.authMechanisms
        if session.target.scheme == .smtp {
            if capabilities.startTLS {
                guard Self.step(&session, "SMTP STARTTLS", socket.command("STARTTLS", timeout: timeout), expect: 220) != nil,
                    session.handshake(socket, title: "TLS (STARTTLS)"),
                    let again = Self.step(&session, "SMTP EHLO (TLS)", socket.command(helo, timeout: timeout), expect: 250, details: Self.describe)
                else { return }
                capabilities = SMTPCapabilities(ehlo: again)
                session.findings.smtpAuthAfterTLS = capabilities.authMechanisms
            } else {
                session.record(ProbeStep(title: "SMTP STARTTLS", status: .warning, summary: "not offered: everything, passwords included, would cross the network in clear"))
            }
        } else {
            session.findings.smtpAuthAfterTLS = capabilities.authMechanisms
        }
        if let from = session.options.mailFrom, let to = session.options.recipient {
            guard Self.step(&session, "SMTP MAIL FROM", socket.command("MAIL FROM:<\(from)>", timeout: timeout), expect: 250) != nil,
                Self.step(&session, "SMTP RCPT TO", socket.command("RCPT TO:<\(to)>", timeout: timeout), expect: 250) != nil,
                Self.step(&session, "SMTP DATA", socket.command("DATA", timeout: timeout), expect: 354) != nil
            else { return }
            let message = "From: <\(from)>\r\nTo: <\(to)>\r\nSubject: resetlab probe test message\r\n\r\nSent by resetlab probe.\r\n."
            guard Self.step(&session, "SMTP message", socket.command(message, timeout: timeout * 2), expect: 250) != nil else { return }
        }
        let started = Clock.now
        switch socket.command("QUIT", timeout: timeout) {
        case .success(let reply):
            session.record(ProbeStep(title: "SMTP QUIT", status: .ok, milliseconds: (Clock.now - started) * 1000, summary: reply.description))
        case .failure(let breakage):
            // The conversation is over anyway; only say how it ended.
            session.record(ProbeStep(title: "SMTP QUIT", status: .warning, milliseconds: (Clock.now - started) * 1000, summary: "no reply: \(breakage.shortName)"))
        }
    }

    /// Runs `operation`, timed, and records its step: ok on the `expect`ed code (with `details` of the
    /// reply), failed (with its breakage) otherwise.
    static func step(
        _ session: inout ProbeSession, _ title: String, _ operation: @autoclosure () -> Result<ServerReply, Breakage>,
        expect: Int, details: (ServerReply) -> [String] = { _ in [] }
    ) -> ServerReply? {
        let started = Clock.now
        let result = operation()
        let elapsed = (Clock.now - started) * 1000
        switch result {
        case .success(let reply) where reply.code == expect:
            session.record(ProbeStep(title: title, status: .ok, milliseconds: elapsed, summary: reply.description, details: details(reply)))
            return reply
        case .success(let reply):
            session.record(ProbeStep(
                title: title, status: .failed, milliseconds: elapsed, summary: "\(reply.description) (expected \(expect))",
                details: Array(reply.lines.dropFirst()), breakage: .errorReply(code: reply.code, text: reply.lines.first ?? "")))
            return nil
        case .failure(let breakage):
            session.record(ProbeStep(title: title, status: .failed, milliseconds: elapsed, summary: Self.words(breakage), breakage: breakage))
            return nil
        }
    }

    static func words(_ breakage: Breakage) -> String {
        switch breakage {
        case .reset: "the connection was reset (RST)"
        case .closed: "the server closed the connection (FIN) without a reply"
        case .timedOut: "no reply within the timeout"
        default: breakage.shortName
        }
    }

    /// The EHLO reply in one line: STARTTLS, AUTH mechanisms, SIZE.
    static func describe(_ ehlo: ServerReply) -> [String] {
        let capabilities = SMTPCapabilities(ehlo: ehlo)
        var parts = ["STARTTLS " + (capabilities.startTLS ? "offered" : "not offered")]
        parts.append(capabilities.authMechanisms.isEmpty ? "no AUTH" : "AUTH " + capabilities.authMechanisms.joined(separator: " "))
        if let size = capabilities.sizeLimit { parts.append(size > 0 ? "SIZE \(size) bytes" : "SIZE (no limit given)") }
        return [parts.joined(separator: "; ")]
    }
}
