import ResetLabProbe

/// Runs a probe step by step, as a support engineer would: the name, a TCP connect to every address,
/// TLS, then the protocol's conversation, and on request the connection ramp and idle-timeout discovery.
/// Each step is handed out as soon as it is done, so that a person sees where it hangs.
public struct ProbeRunner: Sendable {
    public let target: ProbeTarget
    public let options: ProbeOptions

    public init(target: ProbeTarget, options: ProbeOptions) {
        self.target = target
        self.options = options
    }

    /// Everything a probe found.
    public struct Outcome: Sendable {
        public var steps: [ProbeStep]
        public var findings: ProbeFindings
        public var verdict: ProbeVerdict
    }

    /// Runs the probe; `onStep` receives each step as it completes.
    public func run(onStep: (ProbeStep) -> Void) -> Outcome {
        withoutActuallyEscaping(onStep) { onStep in
            var session = ProbeSession(target: self.target, options: self.options, onStep: onStep)
            session.run()
            let verdict = ProbeVerdict(target: self.target, findings: session.findings)
            return Outcome(steps: session.steps, findings: session.findings, verdict: verdict)
        }
    }
}

/// One probe's running state: the steps so far and the findings.
struct ProbeSession {
    let target: ProbeTarget
    let options: ProbeOptions
    let onStep: (ProbeStep) -> Void
    var steps: [ProbeStep] = []
    var findings = ProbeFindings()
    /// The addresses the name resolved to, and those that accepted a connection.
    var reachableCandidates: [ProbeAddress] = []
    var reachable: [ProbeAddress] = []

    init(target: ProbeTarget, options: ProbeOptions, onStep: @escaping (ProbeStep) -> Void) {
        self.target = target
        self.options = options
        self.onStep = onStep
    }

    mutating func record(_ step: ProbeStep) {
        self.steps.append(step)
        self.onStep(step)
        if step.status == .failed, let breakage = step.breakage, self.findings.firstFailure == nil,
            !step.title.hasPrefix("TCP "), step.title != "Name", step.title != "TLS"
        {
            self.findings.firstFailure = (step.title, breakage)
        }
    }

    mutating func run() {
        guard self.resolve() else { return }
        // The packets the server (or a device pretending to be it) sends: to compare a RST's TTL with
        // the server's own SYN-ACK at the end.
        let watch = PeerPacketWatch.open(port: self.target.port)
        defer { self.checkResets(watch) }
        self.connectEveryAddress()
        guard let address = self.reachable.first else { return }
        switch self.target.scheme {
        case .tcp: break
        case .tls: self.tlsOnly(address)
        case .smtp, .smtps: SMTPConversation.run(&self, address: address)
        case .ftp, .ftps: FTPConversation.run(&self, address: address)
        case .http, .https: HTTPConversation.run(&self, address: address)
        }
        if self.options.maxConnections > 0 { ConnectionRamp.run(&self, address: address) }
        if self.options.idle { IdleTimeoutSearch.run(&self, address: address) }
    }

    /// Compares the RSTs that arrived with the server's SYN-ACKs, when any RST arrived.
    mutating func checkResets(_ watch: Result<PeerPacketWatch, NameFailure>) {
        let sawReset = self.steps.contains { $0.breakage == .reset || $0.breakage == .refused }
            || self.findings.idle?.how == .reset
        switch watch {
        case .success(let watch):
            // Only resets that broke something are worth a word; servers reset finished data connections too.
            guard sawReset else { return }
            // Only the probed host's packets: another host may use the same port at the same time.
            switch ResetOrigin.judge(watch.drain(), from: Set(self.findings.addresses)) {
            case .injected(let resetTTL, let serverTTL):
                self.findings.injectedReset = (resetTTL, serverTTL)
                self.record(ProbeStep(
                    title: "RST origin", status: .warning,
                    summary: "the RST came with TTL \(resetTTL), the server's packets with TTL \(serverTTL): probably injected by something in between"))
            case .server(let ttl):
                self.record(ProbeStep(title: "RST origin", status: .ok, summary: "the RSTs came with the server's own TTL (\(ttl)): sent by the server's host"))
            case nil:
                break
            }
        case .failure(let failure):
            if sawReset {
                self.record(ProbeStep(title: "RST origin", status: .skipped, summary: "not checked: \(failure.reason) (run as root to compare the RST's TTL with the server's)"))
            }
        }
    }

    // MARK: - Name and TCP

    /// Resolves the host; false when it did not resolve.
    mutating func resolve() -> Bool {
        let problems = HostNameCheck.problems(self.target.rawHost)
        self.findings.nameProblems = problems
        let started = Clock.now
        let result = Resolver.resolve(self.target.host)
        let elapsed = (Clock.now - started) * 1000
        switch result {
        case .success(let addresses):
            self.findings.addresses = addresses.map(\.text)
            self.reachableCandidates = addresses
            let remarks = problems + HostNameCheck.remarks(self.target.host)
            self.record(ProbeStep(
                title: "Name", status: problems.isEmpty ? .ok : .warning, milliseconds: elapsed,
                summary: "\(self.target.host) → " + addresses.map(\.text).joined(separator: ", "), details: remarks))
            return true
        case .failure(let failure):
            let reason = failure.reason
            self.findings.nameFailure = reason
            self.record(ProbeStep(
                title: "Name", status: .failed, milliseconds: elapsed,
                summary: "\(self.target.host) does not resolve: \(reason)", details: problems,
                breakage: .nameNotFound(reason)))
            return false
        }
    }

    /// Connects to every address once, as a client library would try them.
    mutating func connectEveryAddress() {
        for address in self.reachableCandidates {
            let started = Clock.now
            let result = ProbeSocket.connect(to: address, port: self.target.port, timeout: self.options.timeout)
            let elapsed = (Clock.now - started) * 1000
            switch result {
            case .success(let socket):
                socket.close()
                self.reachable.append(address)
                self.findings.connects.append((address.text, nil))
                self.record(ProbeStep(title: "TCP \(address)", status: .ok, milliseconds: elapsed, summary: "connected to port \(self.target.port)"))
            case .failure(let breakage):
                self.findings.connects.append((address.text, breakage))
                self.record(ProbeStep(
                    title: "TCP \(address)", status: .failed, milliseconds: elapsed,
                    summary: Self.connectSummary(breakage, port: self.target.port, timeout: self.options.timeout),
                    breakage: breakage))
            }
        }
    }

    static func connectSummary(_ breakage: Breakage, port: Int, timeout: Double) -> String {
        switch breakage {
        case .refused: "refused: RST answered the SYN (nothing listens on \(port), or a firewall rejects)"
        case .connectTimedOut: "timed out after \(ProbeVerdict.seconds(timeout)) s: no answer to the SYN (filtered, or the host is down)"
        case .unreachable(let reason): "unreachable: \(reason)"
        default: breakage.shortName
        }
    }

    /// Opens the conversation's connection to `address`.
    mutating func open(_ address: ProbeAddress, step: String) -> ProbeSocket? {
        switch ProbeSocket.connect(to: address, port: self.target.port, timeout: self.options.timeout) {
        case .success(let socket): return socket
        case .failure(let breakage):
            self.record(ProbeStep(title: step, status: .failed, summary: "could not connect again: \(breakage.shortName)", breakage: breakage))
            return nil
        }
    }

    // MARK: - TLS

    mutating func tlsOnly(_ address: ProbeAddress) {
        guard let socket = self.open(address, step: "TLS") else { return }
        defer { socket.close() }
        self.handshake(socket, title: "TLS")
    }

    /// Runs the TLS handshake on `socket` and records the TLS step; false when it failed.
    @discardableResult
    mutating func handshake(_ socket: ProbeSocket, title: String) -> Bool {
        let started = Clock.now
        let facts = socket.startTLS(serverName: self.target.host, timeout: self.options.timeout)
        let elapsed = (Clock.now - started) * 1000
        self.findings.tls = facts
        if let failure = facts.handshakeFailure {
            self.record(ProbeStep(title: title, status: .failed, milliseconds: elapsed, summary: failure, breakage: .tlsFailed(failure)))
            return false
        }
        var details: [String] = []
        if let subject = facts.subject { details.append("subject: \(subject)") }
        if let issuer = facts.issuer { details.append("issuer: \(issuer)") }
        var warning = false
        if let notAfter = facts.notAfter {
            let days = (Double(notAfter) - Double(Wall.now)) / 86_400
            if days < 0 {
                details.append("EXPIRED \(Int(-days)) days ago")
                warning = true
            } else {
                details.append("valid for \(Int(days)) more days")
                if days < 14 { warning = true }
            }
        }
        if !facts.nameMatches {
            details.append("the certificate is not valid for \(self.target.host) (name mismatch)")
            warning = true
        }
        if !facts.trusted {
            details.append("not trusted here: \(facts.untrustedReason ?? "unknown reason")")
            warning = true
        }
        self.record(ProbeStep(
            title: title, status: warning ? .warning : .ok, milliseconds: elapsed,
            summary: "\(facts.protocolVersion ?? "?"), \(facts.cipher ?? "?")", details: details))
        return true
    }
}

/// Wall-clock seconds since the epoch.
enum Wall {
    static var now: Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec)
    }
}

#if canImport(Glibc)
import Glibc
#endif
