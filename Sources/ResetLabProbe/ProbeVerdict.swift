/// The end of a probe: where the conversation broke, how, what an application would have seen, the likely
/// causes from the stories (most likely first, each with its evidence), and the next command to run.
public struct ProbeVerdict: Sendable, Hashable {
    /// A possible cause with the evidence for it.
    public struct Cause: Sendable, Hashable {
        public var title: String
        public var evidence: String
        /// A command that confirms it or works around it.
        public var next: String?
    }

    /// Whether nothing broke.
    public var healthy: Bool
    /// The step where the conversation broke.
    public var brokeAt: String?
    public var how: Breakage?
    public var causes: [Cause]
    /// Things that worked but deserve a look (certificate expiring, STARTTLS not offered...).
    public var warnings: [String]

    /// Reasons from the findings, in the order of the stories' support checklists: the name, the
    /// server's presence, the path (firewalls), the protocol, limits, timeouts.
    public init(target: ProbeTarget, findings: ProbeFindings) {
        var causes: [Cause] = []
        var warnings: [String] = []
        let host = target.host
        let port = target.port

        if !findings.nameProblems.isEmpty {
            causes.append(Cause(
                title: "Wrong host name", evidence: findings.nameProblems.joined(separator: "; "), next: "dig +short '\(host)'"))
        }
        if let failure = findings.nameFailure {
            causes.append(Cause(
                title: "Wrong host name, or DNS does not know it",
                evidence: "the name did not resolve: \(failure)", next: "dig '\(host)' A; dig '\(host)' AAAA"))
        }

        if findings.noAddressConnected, let first = findings.connects.first?.breakage {
            switch first {
            case .refused:
                causes.append(Cause(
                    title: "The server is down, restarting, or not listening on port \(port)",
                    evidence: "every address answered the SYN with RST (connection refused)",
                    next: "check the service on the host (ss -ltnp | grep :\(port)); then resetlab probe tcp://\(host):\(port)"))
                causes.append(Cause(
                    title: "A firewall rejects the port with a reset",
                    evidence: "a firewall rule 'reject with tcp reset' looks exactly like a closed port",
                    next: "try from another network, or compare with: resetlab probe tcp://\(host):22"))
            case .connectTimedOut:
                causes.append(Cause(
                    title: "A firewall drops the connection, or the host is down",
                    evidence: "no address answered the SYN within the timeout (filtered)",
                    next: "ping \(host); traceroute -T -p \(port) \(host)"))
            case .unreachable(let detail):
                causes.append(Cause(
                    title: "No route to the host",
                    evidence: "connect failed: \(detail)", next: "ip route get $(dig +short '\(host)' | head -1)"))
            case .reset, .closed, .timedOut:
                // Accepted, then ended before the connection was even handed over: the same stories as a
                // conversation that breaks at its first step.
                causes += Self.conversationCauses(step: "TCP connect", breakage: first, target: target, findings: findings)
            case .errorReply, .tlsFailed, .nameNotFound:
                break
            }
            if target.scheme == .smtp && port == 25 {
                causes.insert(Cause(
                    title: "Port 25 is blocked by the provider or a firewall",
                    evidence: "mail clients must send on 587 (STARTTLS) or 465 (TLS); many networks block 25",
                    next: "resetlab probe smtp://\(host):587; resetlab probe smtps://\(host):465"), at: 0)
            }
        }

        if let tls = findings.tls {
            if let failure = tls.handshakeFailure {
                let implicit = target.scheme.implicitTLS
                causes.append(Cause(
                    title: implicit ? "The port does not speak TLS, or the TLS versions do not match" : "STARTTLS was accepted but TLS failed",
                    evidence: failure,
                    next: target.scheme == .smtps ? "resetlab probe smtp://\(host):587" : "openssl s_client -connect \(host):\(port)"))
            } else {
                if !tls.nameMatches { warnings.append("the certificate is not valid for \(host)") }
                if !tls.trusted { warnings.append("the certificate is not trusted here: \(tls.untrustedReason ?? "unknown reason")") }
            }
        }

        if let injected = findings.injectedReset {
            causes.append(Cause(
                title: "A device in between forged the reset (firewall, antivirus, IPS, load balancer)",
                evidence: "the RST arrived with TTL \(injected.resetTTL), the server's own SYN-ACK with TTL \(injected.serverTTL)",
                next: "find the device on the path: traceroute -T -p \(port) \(host); check antivirus or firewall inspection of this traffic"))
        }
        if let failure = findings.firstFailure {
            causes += Self.conversationCauses(step: failure.step, breakage: failure.breakage, target: target, findings: findings)
        }

        let working = findings.ftpDataModes.filter { $0.breakage == nil }.map(\.mode)
        let broken = findings.ftpDataModes.filter { $0.breakage != nil }
        if !broken.isEmpty {
            let passiveBroken = broken.contains { $0.mode == "PASV" || $0.mode == "EPSV" }
            let activeBroken = broken.contains { $0.mode == "PORT" || $0.mode == "EPRT" }
            let list = broken.map { "\($0.mode): \($0.breakage?.shortName ?? "")" }.joined(separator: ", ")
            if passiveBroken && !activeBroken && !working.isEmpty {
                causes.append(Cause(
                    title: "Passive mode is blocked: use active mode, or open the server's passive port range",
                    evidence: "\(list); \(working.joined(separator: " and ")) worked",
                    next: "curl -P - ftp://\(host):\(port)/"))
            } else if activeBroken && !passiveBroken && !working.isEmpty {
                causes.append(Cause(
                    title: "Active mode is blocked (a firewall or NAT in front of this client): use passive mode",
                    evidence: "\(list); \(working.joined(separator: " and ")) worked",
                    next: "curl ftp://\(host):\(port)/  (passive is curl's default)"))
            } else {
                causes.append(Cause(
                    title: "FTP data connections are blocked", evidence: list,
                    next: "check the firewall for the data ports; resetlab probe --verbose ftp://\(host):\(port)"))
            }
        }
        if let mismatch = findings.pasvAddressMismatch {
            causes.append(Cause(
                title: "The server's NAT address is misconfigured",
                evidence: "PASV says connect to \(mismatch.advertised), but the control connection goes to \(mismatch.control)",
                next: "set the server's passive address (vsftpd pasv_address) to the public address, or use EPSV"))
        }

        if let limit = findings.connectionLimit {
            causes.append(Cause(
                title: "The server limits connections per client to \(limit.working)",
                evidence: "connection \(limit.working + 1) was refused: \(Self.describe(limit.refusal))",
                next: "lower the client's concurrency to \(max(1, limit.working)) or raise the server's per-IP limit"))
        }

        if let idle = findings.idle, let killed = idle.killedSeconds {
            let range = idle.closedUnprompted
                ? "after \(Self.seconds(killed)) s"
                : idle.survivedSeconds.map { "between \(Self.seconds($0)) and \(Self.seconds(killed)) s" } ?? "by \(Self.seconds(killed)) s"
            let how = idle.how?.shortName ?? "closed"
            let who = idle.closedUnprompted ? "the server (or a device in between) closed it on its own" : "the next packet found it gone"
            // Unprompted ends are the timeout itself; otherwise it lies in the bracket: take the middle.
            let estimate = idle.closedUnprompted ? killed : idle.survivedSeconds.map { ($0 + killed) / 2 } ?? killed
            causes.append(Cause(
                title: "Idle connections are killed after about \(Self.seconds(estimate)) s: long transfers and pauses break",
                evidence: "an idle connection ended \(range) (\(how)); \(who)",
                next: "send keepalives or NOOP more often than every \(Self.seconds(max(1, (idle.closedUnprompted ? killed : idle.survivedSeconds ?? killed) * 0.8))) s, or raise the timeout"))
        }

        if let transfer = findings.transferFailure {
            causes.append(Cause(
                title: "Large transfers break mid-way",
                evidence: "the \(transfer.direction) stopped after \(transfer.bytes) bytes: \(transfer.breakage.shortName)",
                next: "resetlab probe --idle \(target.displayName)  (a timeout on the idle control connection?)"))
        }

        if target.scheme == .smtp, findings.smtpStartTLSOffered == false, findings.firstFailure == nil,
            !findings.noAddressConnected
        {
            warnings.append("the server does not offer STARTTLS: passwords and mail would cross the network in clear")
        }
        if target.scheme == .smtp, findings.smtpAuthBeforeTLS.isEmpty, !findings.smtpAuthAfterTLS.isEmpty {
            warnings.append("AUTH is offered only after STARTTLS: a client must be set to use TLS on this port")
        }

        self.causes = causes
        self.warnings = warnings
        self.how = findings.firstFailure?.breakage ?? (findings.noAddressConnected ? findings.connects.first?.breakage : nil)
            ?? findings.tls?.handshakeFailure.map { .tlsFailed($0) }
            ?? findings.nameFailure.map { .nameNotFound($0) }
        if let failure = findings.firstFailure {
            self.brokeAt = failure.step
        } else if findings.nameFailure != nil {
            self.brokeAt = "Name"
        } else if findings.noAddressConnected {
            self.brokeAt = "TCP connect"
        } else if findings.tls?.handshakeFailure != nil {
            self.brokeAt = "TLS"
        } else {
            self.brokeAt = nil
        }
        self.healthy = self.brokeAt == nil && causes.isEmpty
    }

    /// Causes for a conversation that broke at `step`.
    static func conversationCauses(step: String, breakage: Breakage, target: ProbeTarget, findings: ProbeFindings) -> [Cause] {
        let host = target.host
        switch breakage {
        case .errorReply(let code, let text):
            let lowered = text.lowercased()
            if code == 421 && (lowered.contains("too many") || lowered.contains("maximum") || lowered.contains("connections")) {
                return [Cause(
                    title: "The server's connection limit is reached (too many connections or users)",
                    evidence: "\(step): \(code) \(text)", next: "resetlab probe --max-conns 10 \(target.displayName)")]
            }
            if code == 530 && (lowered.contains("maximum") || lowered.contains("too many")) {
                return [Cause(
                    title: "The server's per-host limit is reached at login",
                    evidence: "\(step): \(code) \(text)", next: "resetlab probe --max-conns 10 \(target.displayName)")]
            }
            if target.scheme == .smtp && (code == 530 || code == 554) && lowered.contains("tls") {
                return [Cause(
                    title: "The server requires STARTTLS first", evidence: "\(step): \(code) \(text)",
                    next: "enable TLS (STARTTLS) in the client for this port")]
            }
            if code == 530 || code == 535 {
                return [Cause(title: "The login was refused", evidence: "\(step): \(code) \(text)", next: "check the user name and password")]
            }
            if code == 421 {
                return [Cause(
                    title: "The server closed the session (timeout, shutdown or policy)",
                    evidence: "\(step): \(code) \(text)", next: nil)]
            }
            return [Cause(title: "The server refused a command", evidence: "\(step): \(code) \(text)", next: nil)]
        case .reset:
            var causes = [Cause(
                title: "A firewall, antivirus or the server reset the connection",
                evidence: "\(step): the connection was reset (RST)",
                next: "run as root to see the RST's TTL: resetlab capture, or tcpdump -v 'tcp[tcpflags] & tcp-rst != 0 and host \(host)'")]
            causes.append(Cause(
                title: "The server process crashed or was restarted",
                evidence: "a process that dies with unread data makes its kernel send RST",
                next: "check the server's logs and uptime; resetlab lab crash-with-unread-data"))
            return causes
        case .closed:
            var causes: [Cause] = []
            if target.scheme == .smtp || target.scheme == .ftp {
                causes.append(Cause(
                    title: "The server closed the connection: it may require TLS or authentication first, or be over a limit",
                    evidence: "\(step): the server closed the connection (FIN) without an error reply",
                    next: "resetlab probe \(target.scheme == .smtp ? "smtps://\(host):465" : "ftps://\(host):\(target.port)")"))
            } else {
                causes.append(Cause(
                    title: "The server closed the connection", evidence: "\(step): FIN", next: nil))
            }
            return causes
        case .timedOut:
            return [Cause(
                title: "The server or the path stalls",
                evidence: "\(step): no answer within the timeout",
                next: "resetlab probe --timeout 30 \(target.displayName); resetlab probe --idle \(target.displayName)")]
        case .tlsFailed(let reason):
            return [Cause(title: "TLS failed", evidence: "\(step): \(reason)", next: "openssl s_client -connect \(host):\(target.port) -starttls smtp")]
        case .refused, .connectTimedOut, .unreachable, .nameNotFound:
            return [Cause(title: "A connection the protocol needed failed", evidence: "\(step): \(breakage.shortName)", next: nil)]
        }
    }

    /// A breakage with its reply text when it has one.
    static func describe(_ breakage: Breakage) -> String {
        if case .errorReply(let code, let text) = breakage { return "\(code) \(text)" }
        return breakage.shortName
    }

    /// Seconds as the reports print them: `0.4`, `12`.
    public static func seconds(_ value: Double) -> String {
        value >= 10 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }
}
