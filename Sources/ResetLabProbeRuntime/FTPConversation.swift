import ResetLabProbe

#if canImport(Glibc)
import Glibc
#endif

/// The FTP checks of a support team: banner, login, then each way to open a data connection (PASV, EPSV,
/// active PORT and EPRT) with a LIST through it, and on request an upload and a download of a chosen size.
enum FTPConversation {
    static func run(_ session: inout ProbeSession, address: ProbeAddress) {
        guard let control = session.open(address, step: "FTP connect") else { return }
        defer { control.close() }
        let timeout = session.options.timeout
        guard SMTPConversation.step(&session, "FTP banner", control.readReply(timeout: timeout), expect: 220) != nil else { return }
        if session.target.scheme == .ftps {
            guard SMTPConversation.step(&session, "FTP AUTH TLS", control.command("AUTH TLS", timeout: timeout), expect: 234) != nil,
                session.handshake(control, title: "TLS (AUTH TLS)")
            else { return }
            _ = control.command("PBSZ 0", timeout: timeout)
            // Clear data connections keep the data checks simple; a server that insists on protected data
            // says so here.
            guard SMTPConversation.step(&session, "FTP PROT C", control.command("PROT C", timeout: timeout), expect: 200) != nil else { return }
        }
        guard Self.login(&session, control) else { return }
        _ = control.command("TYPE I", timeout: timeout)
        let directory = session.target.path
        if directory != "/" && !directory.isEmpty {
            guard SMTPConversation.step(&session, "FTP CWD", control.command("CWD \(directory)", timeout: timeout), expect: 250) != nil
            else { return }
        }
        var working: [DataMode] = []
        for mode in DataMode.allCases {
            let started = Clock.now
            let result = Self.list(mode, control: control, session: &session)
            let elapsed = (Clock.now - started) * 1000
            switch result {
            case .success(let bytes):
                working.append(mode)
                session.findings.ftpDataModes.append((mode.rawValue, nil))
                session.record(ProbeStep(title: "FTP \(mode.rawValue)", status: .ok, milliseconds: elapsed, summary: "LIST through the \(mode.words) data connection: \(bytes) bytes"))
            case .failure(let failure):
                session.findings.ftpDataModes.append((mode.rawValue, failure.breakage))
                session.record(ProbeStep(
                    title: "FTP \(mode.rawValue)", status: .warning, milliseconds: elapsed,
                    summary: "the \(mode.words) data connection failed: \(failure.words)"))
                if failure.controlLost {
                    session.findings.firstFailure = session.findings.firstFailure ?? ("FTP \(mode.rawValue)", failure.breakage)
                    return
                }
            }
        }
        if session.options.transferSize > 0, let mode = working.first {
            Self.transfers(&session, control: control, mode: mode)
        }
        _ = control.command("QUIT", timeout: timeout)
    }

    /// USER and PASS (anonymous unless the URL names a user).
    static func login(_ session: inout ProbeSession, _ control: ProbeSocket) -> Bool {
        let timeout = session.options.timeout
        let user = session.target.user ?? "anonymous"
        let started = Clock.now
        let reply = control.command("USER \(user)", timeout: timeout)
        switch reply {
        case .success(let reply) where reply.code == 230:
            session.record(ProbeStep(title: "FTP login", status: .ok, milliseconds: (Clock.now - started) * 1000, summary: "\(user): \(reply.description)"))
            return true
        case .success(let reply) where reply.code == 331:
            let password = session.target.password ?? (session.target.user == nil ? "resetlab-probe@example.com" : "")
            return SMTPConversation.step(&session, "FTP login", control.command("PASS \(password)", timeout: timeout), expect: 230) != nil
        default:
            _ = SMTPConversation.step(&session, "FTP login", reply, expect: 230)
            return false
        }
    }

    enum DataMode: String, CaseIterable {
        case pasv = "PASV", epsv = "EPSV", port = "PORT", eprt = "EPRT"

        var words: String {
            switch self {
            case .pasv: "passive"
            case .epsv: "extended passive"
            case .port: "active"
            case .eprt: "extended active"
            }
        }
    }

    struct DataFailure: Error {
        var breakage: Breakage
        var words: String
        /// The control connection itself broke: nothing more can be tried.
        var controlLost = false
    }

    /// Opens a data connection in `mode`, runs `command` through it, and returns the data socket plus
    /// whether the server connects to us (active) or we to it (passive).
    static func openData(
        _ mode: DataMode, command: String, control: ProbeSocket, session: inout ProbeSession
    ) -> Result<ProbeSocket, DataFailure> {
        let timeout = session.options.timeout
        switch mode {
        case .pasv, .epsv:
            let reply: ServerReply
            switch control.command(mode.rawValue, timeout: timeout) {
            case .success(let value): reply = value
            case .failure(let breakage): return .failure(DataFailure(breakage: breakage, words: "\(mode.rawValue): \(SMTPConversation.words(breakage))", controlLost: true))
            }
            let endpoint: FTPDataEndpoint
            do {
                endpoint = mode == .pasv ? try FTPDataEndpoint(pasv: reply) : try FTPDataEndpoint(epsv: reply)
            } catch {
                return .failure(DataFailure(breakage: .errorReply(code: reply.code, text: reply.lines.first ?? ""), words: "\(mode.rawValue) answered \(reply)"))
            }
            var target = control.peer
            if let advertised = endpoint.address, advertised != control.peer.text, control.peer.family == AF_INET {
                session.findings.pasvAddressMismatch = (advertised, control.peer.text)
                if let parsed = Self.ipv4Address(advertised) { target = parsed }
            }
            let data: ProbeSocket
            switch ProbeSocket.connect(to: target, port: endpoint.port, timeout: timeout) {
            case .success(let socket): data = socket
            case .failure(let breakage):
                return .failure(DataFailure(breakage: breakage, words: "connecting to \(target):\(endpoint.port): \(breakage.shortName)"))
            }
            switch control.command(command, timeout: timeout) {
            case .success(let reply) where reply.code == 150 || reply.code == 125:
                return .success(data)
            case .success(let reply):
                return .failure(DataFailure(breakage: .errorReply(code: reply.code, text: reply.lines.first ?? ""), words: "\(command.split(separator: " ").first ?? "") answered \(reply)"))
            case .failure(let breakage):
                return .failure(DataFailure(breakage: breakage, words: SMTPConversation.words(breakage), controlLost: true))
            }
        case .port, .eprt:
            let local = control.localEndpoint.address
            guard let listener = ProbeListener(address: local) else {
                return .failure(DataFailure(breakage: .unreachable("cannot listen on \(local)"), words: "cannot listen on \(local) for the server"))
            }
            let line = mode == .port
                ? FTPDataEndpoint.portCommand(address: local, port: listener.port)
                : FTPDataEndpoint.eprtCommand(address: local, port: listener.port)
            switch control.command(line, timeout: timeout) {
            case .success(let reply) where reply.code == 200: break
            case .success(let reply):
                return .failure(DataFailure(breakage: .errorReply(code: reply.code, text: reply.lines.first ?? ""), words: "\(mode.rawValue) answered \(reply)"))
            case .failure(let breakage):
                return .failure(DataFailure(breakage: breakage, words: SMTPConversation.words(breakage), controlLost: true))
            }
            guard control.send(line: command) == nil else {
                return .failure(DataFailure(breakage: .reset, words: "the control connection broke", controlLost: true))
            }
            guard let fd = listener.accept(timeout: timeout) else {
                // The server could not connect to us; its reply says so (425) if it still talks.
                let reply = control.readReply(timeout: timeout)
                let said = (try? reply.get()).map { " (server: \($0))" } ?? ""
                return .failure(DataFailure(breakage: .connectTimedOut, words: "the server never connected back to \(local):\(listener.port)\(said)"))
            }
            switch control.readReply(timeout: timeout) {
            case .success(let reply) where reply.code == 150 || reply.code == 125:
                return .success(ProbeSocket(accepted: fd))
            case .success(let reply):
                Glibc.close(fd)
                return .failure(DataFailure(breakage: .errorReply(code: reply.code, text: reply.lines.first ?? ""), words: "answered \(reply)"))
            case .failure(let breakage):
                Glibc.close(fd)
                return .failure(DataFailure(breakage: breakage, words: SMTPConversation.words(breakage), controlLost: true))
            }
        }
    }

    /// LIST through a data connection opened in `mode`: the listing's size.
    static func list(_ mode: DataMode, control: ProbeSocket, session: inout ProbeSession) -> Result<Int, DataFailure> {
        let data: ProbeSocket
        switch Self.openData(mode, command: "LIST", control: control, session: &session) {
        case .success(let socket): data = socket
        case .failure(let failure): return .failure(failure)
        }
        defer { data.close() }
        var bytes = 0
        reading: while true {
            switch data.read(timeout: session.options.timeout) {
            case .success(let chunk): bytes += chunk.count
            case .failure(.closed): break reading
            case .failure(let breakage): return .failure(DataFailure(breakage: breakage, words: "the listing broke: \(breakage.shortName)"))
            }
        }
        switch control.readReply(timeout: session.options.timeout) {
        case .success(let reply) where reply.code == 226 || reply.code == 250: return .success(bytes)
        case .success(let reply): return .failure(DataFailure(breakage: .errorReply(code: reply.code, text: reply.lines.first ?? ""), words: "after the listing: \(reply)"))
        case .failure(let breakage): return .failure(DataFailure(breakage: breakage, words: SMTPConversation.words(breakage), controlLost: true))
        }
    }

    /// Uploads `transferSize` bytes, downloads them back, and removes the file.
    static func transfers(_ session: inout ProbeSession, control: ProbeSocket, mode: DataMode) {
        let size = session.options.transferSize
        let name = "resetlab-probe-\(getpid()).bin"
        let timeout = session.options.timeout
        // Upload.
        var started = Clock.now
        switch Self.openData(mode, command: "STOR \(name)", control: control, session: &session) {
        case .failure(let failure):
            session.record(ProbeStep(title: "FTP upload", status: .failed, summary: failure.words, breakage: failure.breakage))
            session.findings.transferFailure = ("upload", 0, failure.breakage)
            return
        case .success(let data):
            var sentBytes = 0
            let chunk = [UInt8](repeating: 0x5a, count: 65_536)
            var broke: Breakage?
            while sentBytes < size {
                let piece = Array(chunk.prefix(min(chunk.count, size - sentBytes)))
                if let breakage = data.send(piece) {
                    broke = breakage
                    break
                }
                sentBytes += piece.count
            }
            data.close()
            let reply = control.readReply(timeout: timeout * 4)
            let elapsed = Clock.now - started
            if broke == nil, case .success(let value) = reply, value.code == 226 {
                session.record(ProbeStep(
                    title: "FTP upload", status: .ok, milliseconds: elapsed * 1000,
                    summary: "\(size) bytes (\(Self.rate(size, elapsed)))"))
            } else {
                let breakage = broke ?? ((try? reply.get()).map { .errorReply(code: $0.code, text: $0.lines.first ?? "") } ?? .timedOut)
                session.findings.transferFailure = ("upload", sentBytes, breakage)
                session.record(ProbeStep(
                    title: "FTP upload", status: .failed, milliseconds: elapsed * 1000,
                    summary: "stopped after \(sentBytes) of \(size) bytes: \(breakage.shortName)", breakage: breakage))
                return
            }
        }
        // Download.
        started = Clock.now
        switch Self.openData(mode, command: "RETR \(name)", control: control, session: &session) {
        case .failure(let failure):
            session.record(ProbeStep(title: "FTP download", status: .failed, summary: failure.words, breakage: failure.breakage))
            session.findings.transferFailure = ("download", 0, failure.breakage)
        case .success(let data):
            var receivedBytes = 0
            var broke: Breakage?
            var ended = false
            while !ended && broke == nil {
                switch data.read(timeout: timeout) {
                case .success(let chunk): receivedBytes += chunk.count
                case .failure(.closed): ended = true
                case .failure(let breakage): broke = breakage
                }
            }
            data.close()
            let reply = control.readReply(timeout: timeout * 4)
            let elapsed = Clock.now - started
            if broke == nil, receivedBytes == size, case .success(let value) = reply, value.code == 226 {
                session.record(ProbeStep(
                    title: "FTP download", status: .ok, milliseconds: elapsed * 1000,
                    summary: "\(size) bytes (\(Self.rate(size, elapsed)))"))
            } else {
                let breakage = broke ?? ((try? reply.get()).map { .errorReply(code: $0.code, text: $0.lines.first ?? "") } ?? .closed)
                session.findings.transferFailure = ("download", receivedBytes, breakage)
                session.record(ProbeStep(
                    title: "FTP download", status: .failed, milliseconds: elapsed * 1000,
                    summary: "got \(receivedBytes) of \(size) bytes: \(breakage.shortName)", breakage: breakage))
            }
        }
        _ = control.command("DELE \(name)", timeout: timeout)
    }

    static func rate(_ bytes: Int, _ seconds: Double) -> String {
        let megabytes = Double(bytes) / 1_048_576 / max(seconds, 0.000_001)
        return megabytes >= 10 ? "\(Int(megabytes)) MiB/s" : "\((megabytes * 10).rounded() / 10) MiB/s"
    }

    static func ipv4Address(_ text: String) -> ProbeAddress? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        guard inet_pton(AF_INET, text, &address.sin_addr) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        return ProbeAddress(family: AF_INET, storage: bytes, text: text)
    }
}
