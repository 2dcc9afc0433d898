import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `resetlab probe` end to end against real servers from Debian's packages (vsftpd, Postfix, nginx),
/// started and stopped by the tests on loopback ports, with the ResetLab proxy in front to inject resets
/// and private network namespaces with nftables rules for firewalls and an idle-timeout middlebox.
/// Needs root (the servers switch users; namespaces); under CI it must run.
@Suite(.serialized) struct ProbeCommandTests {
    static let isRoot = getuid() == 0
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let enabled = isRoot || isCI

    /// Runs `resetlab probe … --json` and returns the status and the document.
    static func probe(_ arguments: [String], namespace: String? = nil) async throws -> (status: Int32, json: [String: Any]) {
        let probe = ["probe", "--json"] + arguments
        let result = try await ResetLabBinary.runOffPool(
            namespace.map { ["netns", "exec", $0, ResetLabBinary.url.path] + probe } ?? probe,
            executable: namespace == nil ? nil : URL(fileURLWithPath: "/usr/sbin/ip"))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            "not JSON: \(result.stdout) \(result.stderr)")
        return (result.status, object)
    }

    static func steps(_ json: [String: Any]) -> [String: [String: Any]] {
        var byTitle: [String: [String: Any]] = [:]
        for step in json["steps"] as? [[String: Any]] ?? [] {
            if let title = step["title"] as? String { byTitle[title] = step }
        }
        return byTitle
    }

    static func verdict(_ json: [String: Any]) -> [String: Any] { json["verdict"] as? [String: Any] ?? [:] }

    static func causes(_ json: [String: Any]) -> [String] {
        (Self.verdict(json)["causes"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }

    // MARK: - FTP (vsftpd)

    @Test(.enabled(if: enabled)) func ftpEveryDataModeTransfersAndTheConnectionLimit() async throws {
        let server = try FixtureServer.ftp(maxPerIP: 2)
        defer { server.stop() }
        let (status, json) = try await Self.probe(["ftp://127.0.0.1:\(server.port)/incoming/", "--size", "2000000", "--max-conns", "4"])
        let steps = Self.steps(json)
        for title in ["FTP banner", "FTP login", "FTP PASV", "FTP EPSV", "FTP PORT", "FTP EPRT", "FTP upload", "FTP download"] {
            #expect(steps[title]?["status"] as? String == "ok", "\(title): \(steps[title] ?? [:])")
        }
        #expect((steps["FTP upload"]?["summary"] as? String)?.hasPrefix("2000000 bytes") == true)
        let limit = try #require(steps["Connection limit"]?["summary"] as? String)
        #expect(limit.contains("2 connections at once work; connection 3 was refused: 421"), "\(limit)")
        #expect(Self.causes(json).contains("The server limits connections per client to 2"))
        #expect(status == 1)
    }

    @Test(.enabled(if: enabled)) func ftpServerIdleTimeoutIsFoundExactly() async throws {
        let server = try FixtureServer.ftp(idleSeconds: 3)
        defer { server.stop() }
        let (_, json) = try await Self.probe(["ftp://127.0.0.1:\(server.port)/", "--idle", "--idle-max", "10"])
        let idle = try #require(Self.steps(json)["Idle timeout"]?["summary"] as? String)
        #expect(idle.contains("closed (FIN) after"), "\(idle)")
        #expect(idle.contains("421"), "the server's farewell is quoted: \(idle)")
        let cause = try #require(Self.causes(json).first { $0.hasPrefix("Idle connections are killed after about") })
        let seconds = try #require(Double(cause.split(separator: " ")[6]))
        #expect(abs(seconds - 3) <= 0.3, "\(cause)")
    }

    @Test(.enabled(if: enabled)) func ftpPassiveAddressBehindABrokenNAT() async throws {
        // In a namespace of its own, where the advertised public address leads nowhere: the passive data
        // connection times out, as it does behind a firewall, and no packet leaves the machine.
        let namespace = try TestNamespace()
        defer { namespace.delete() }
        try namespace.routeToNowhere("198.51.100.0/24")
        let server = try FixtureServer.ftp(pasvAddress: "198.51.100.7", namespace: namespace.name)
        defer { server.stop() }
        let (status, json) = try await Self.probe(["ftp://127.0.0.1:\(server.port)/", "--timeout", "1"], namespace: namespace.name)
        let steps = Self.steps(json)
        #expect(steps["FTP PASV"]?["status"] as? String == "warning")
        let pasv = steps["FTP PASV"]?["summary"] as? String ?? ""
        #expect(pasv.contains("connecting to 198.51.100.7:") && pasv.contains("SYN unanswered"), "\(pasv)")
        #expect(steps["FTP EPSV"]?["status"] as? String == "ok")
        #expect(steps["FTP PORT"]?["status"] as? String == "ok")
        let causes = Self.causes(json)
        #expect(causes.contains("The server's NAT address is misconfigured"), "\(causes)")
        #expect(status == 1)
    }

    @Test(.enabled(if: enabled)) func aResetInjectedByTheProxyIsBlamedOnAMiddlebox() async throws {
        let server = try FixtureServer.ftp()
        defer { server.stop() }
        let proxy = try ProxyServeProcess()
        defer { proxy.kill() }
        #expect(proxy.waitUntilAnswering())
        let listen = try Loopback.freePort()
        let create = try await ResetLabBinary.runOffPool(["proxy", "create", "-l", "127.0.0.1:\(listen)", "-u", "127.0.0.1:\(server.port)", "ftp", "--host", proxy.url])
        #expect(create.status == 0, "\(create.stderr)")
        // The proxy resets every connection at once, as an intercepting firewall or antivirus would.
        let toxic = try await ResetLabBinary.runOffPool(["proxy", "toxic", "add", "-t", "reset_peer", "-a", "timeout=0", "ftp", "--host", proxy.url])
        #expect(toxic.status == 0, "\(toxic.stderr)")
        let (status, json) = try await Self.probe(["ftp://127.0.0.1:\(listen)/"])
        let verdict = Self.verdict(json)
        #expect(verdict["how"] as? String == "RST", "\(verdict)")
        #expect((verdict["applicationError"] as? [String: Any])?["windows"] as? String == "WSAECONNRESET (10054)")
        #expect(Self.causes(json).first?.contains("firewall, antivirus or the server reset the connection") == true, "\(Self.causes(json))")
        #expect(status == 1)
    }

    // MARK: - SMTP (Postfix)

    @Test(.enabled(if: enabled)) func smtpStepByStepWithATestMessage() async throws {
        let server = try FixtureServer.smtp()
        defer { server.stop() }
        let (status, json) = try await Self.probe([
            "smtp://127.0.0.1:\(server.port)", "--mail-from", "probe@example.test", "--rcpt-to", "root@localhost",
        ])
        let steps = Self.steps(json)
        #expect((steps["SMTP banner"]?["summary"] as? String)?.hasPrefix("220 ") == true)
        let ehlo = try #require(steps["SMTP EHLO"])
        #expect(ehlo["status"] as? String == "ok")
        let capabilities = (ehlo["details"] as? [String])?.first ?? ""
        #expect(capabilities.contains("SIZE 1048576 bytes"), "\(ehlo)")
        for title in ["SMTP MAIL FROM", "SMTP RCPT TO", "SMTP DATA", "SMTP message"] {
            #expect(steps[title]?["status"] as? String == "ok", "\(title): \(steps[title] ?? [:])")
        }
        let warnings = Self.verdict(json)["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.contains("does not offer STARTTLS") }, "\(warnings)")
        #expect(status == 0)
    }

    @Test(.enabled(if: enabled)) func smtpConnectionLimitIsA421() async throws {
        let server = try FixtureServer.smtp(connectionLimit: 2)
        defer { server.stop() }
        let (_, json) = try await Self.probe(["smtp://127.0.0.1:\(server.port)", "--max-conns", "4"])
        let limit = try #require(Self.steps(json)["Connection limit"]?["summary"] as? String)
        #expect(limit.contains("2 connections at once work; connection 3 was refused: 421 4.7.0"), "\(limit)")
    }

    @Test(.enabled(if: enabled)) func aBlockedPort25PointsToSubmission() async throws {
        let namespace = try TestNamespace()
        defer { namespace.delete() }
        try namespace.nft("tcp dport 25 drop")
        let (_, json) = try await Self.probe(["smtp://127.0.0.1", "--timeout", "1"], namespace: namespace.name)
        #expect(Self.causes(json).first == "Port 25 is blocked by the provider or a firewall")
        let next = (Self.verdict(json)["causes"] as? [[String: Any]])?.first?["next"] as? String
        #expect(next?.contains(":587") == true)
    }

    // MARK: - HTTP (nginx) and TLS

    @Test(.enabled(if: enabled)) func httpKeepAliveAndTheServersIdleTimeout() async throws {
        let server = try FixtureServer.http(keepAliveSeconds: 2)
        defer { server.stop() }
        let (status, json) = try await Self.probe(["http://127.0.0.1:\(server.port)/big.bin", "--idle", "--idle-max", "6"])
        let steps = Self.steps(json)
        #expect((steps["HTTP request"]?["summary"] as? String)?.contains("200") == true, "\(steps)")
        #expect(steps["HTTP keep-alive"]?["status"] as? String == "ok")
        let idle = try #require(steps["Idle timeout"]?["summary"] as? String)
        #expect(idle.contains("closed (FIN) after"), "the server closes idle keep-alive connections itself: \(idle)")
        let cause = try #require(Self.causes(json).first { $0.hasPrefix("Idle connections are killed after about") })
        let seconds = try #require(Double(cause.split(separator: " ")[6]))
        #expect(abs(seconds - 2) <= 0.2, "\(cause)")
        #expect(status == 1)
    }

    @Test(.enabled(if: enabled)) func tlsCertificateFactsAndANameMismatch() async throws {
        let directory = try TemporaryDirectory()
        let certificate = directory.path + "/cert.pem"
        let key = directory.path + "/key.pem"
        let made = try Capturer.run(["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                                     "-subj", "/CN=resetlab.test", "-keyout", key, "-out", certificate])
        #expect(made == 0)
        let port = try Loopback.freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www", "-quiet"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            // SIGKILL: the test process's blocked signals are inherited, so SIGTERM would not arrive.
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        for _ in 0..<100 where !Loopback.canConnect(port: port) { try await Task.sleep(for: .milliseconds(20)) }
        let (_, json) = try await Self.probe(["tls://127.0.0.1:\(port)"])
        let tls = try #require(Self.steps(json)["TLS"])
        #expect(tls["status"] as? String == "warning")
        #expect((tls["summary"] as? String)?.hasPrefix("TLSv1.") == true, "\(tls)")
        let details = (tls["details"] as? [String] ?? []).joined(separator: "\n")
        #expect(details.contains("subject: CN=resetlab.test"), "\(details)")
        #expect(details.contains("issuer: CN=resetlab.test"))
        #expect(details.contains("valid for 29 more days") || details.contains("valid for 30 more days"), "\(details)")
        #expect(details.contains("not valid for 127.0.0.1 (name mismatch)"))
        #expect(details.contains("not trusted here: self-signed certificate"), "\(details)")

        // s_server -www answers HTTP over TLS: the same server probed as HTTPS.
        let (_, https) = try await Self.probe(["https://127.0.0.1:\(port)/"])
        #expect((Self.steps(https)["HTTP request"]?["summary"] as? String)?.contains("200") == true, "\(Self.steps(https))")

        // Explicit FTPS: AUTH TLS on the control connection, then every data mode in clear (PROT C).
        let ftps = try FixtureServer.ftp(tls: (certificate, key))
        defer { ftps.stop() }
        let (ftpsStatus, ftpsJSON) = try await Self.probe(["ftps://127.0.0.1:\(ftps.port)/"])
        let ftpsSteps = Self.steps(ftpsJSON)
        #expect(ftpsSteps["FTP AUTH TLS"]?["status"] as? String == "ok", "\(ftpsSteps)")
        #expect((ftpsSteps["TLS (AUTH TLS)"]?["summary"] as? String)?.hasPrefix("TLSv1.") == true)
        #expect(ftpsSteps["FTP PASV"]?["status"] as? String == "ok")
        #expect(ftpsStatus == 0)

        // The same server probed as SMTP over TLS: the handshake works, then no SMTP banner comes.
        let (_, smtps) = try await Self.probe(["smtps://127.0.0.1:\(port)", "--timeout", "1"])
        #expect(Self.steps(smtps)["SMTP banner"]?["status"] as? String == "failed")
    }

    // MARK: - Firewalls and middleboxes (network namespaces)

    @Test(.enabled(if: enabled)) func aFirewallThatRejectsLooksRefusedAndOneThatDropsTimesOut() async throws {
        let namespace = try TestNamespace()
        defer { namespace.delete() }
        try namespace.nft("tcp dport 44500 reject with tcp reset; tcp dport 44501 drop")
        let (_, rejected) = try await Self.probe(["tcp://127.0.0.1:44500"], namespace: namespace.name)
        #expect(Self.verdict(rejected)["how"] as? String == "refused (RST to the SYN)")
        let (_, dropped) = try await Self.probe(["tcp://127.0.0.1:44501", "--timeout", "1"], namespace: namespace.name)
        #expect(Self.verdict(dropped)["how"] as? String == "connect timed out (SYN unanswered)")
        #expect(Self.causes(dropped).first == "A firewall drops the connection, or the host is down")
    }

    @Test(.enabled(if: enabled)) func aMiddleboxThatForgetsIdleConnectionsIsBracketed() async throws {
        let namespace = try TestNamespace()
        defer { namespace.delete() }
        // Connection tracking forgets an established connection after 3 s; its next packet is then
        // invalid and answered with a reset, as an idle-timeout NAT or firewall does.
        try namespace.sysctl("net.netfilter.nf_conntrack_tcp_timeout_established=3")
        try namespace.sysctl("net.netfilter.nf_conntrack_tcp_loose=0")
        let server = try FixtureServer.ftp(namespace: namespace.name)
        defer { server.stop() }
        try namespace.nft("tcp dport \(server.port) ct state invalid reject with tcp reset")
        let (_, json) = try await Self.probe(["ftp://127.0.0.1:\(server.port)/", "--idle", "--idle-max", "8"], namespace: namespace.name)
        let idle = try #require(Self.steps(json)["Idle timeout"]?["summary"] as? String)
        #expect(idle.contains("die between"), "\(idle)")
        #expect(idle.contains("reset (RST)"), "\(idle)")
        let cause = try #require(Self.causes(json).first { $0.hasPrefix("Idle connections are killed after about") })
        let seconds = try #require(Double(cause.split(separator: " ")[6]))
        #expect(abs(seconds - 3) <= 0.3 * 3 / 0.9, "within the ladder's step: \(cause)")
    }

    @Test(.enabled(if: enabled)) func aResetWithAnotherTTLIsCalledInjected() async throws {
        let namespace = try TestNamespace()
        defer { namespace.delete() }
        let server = try FixtureServer.ftp(namespace: namespace.name)
        defer { server.stop() }
        // The server's own packets leave with TTL 50; the firewall's reset to the client's first command
        // keeps the default 64, as a RST forged by a device closer to the client would.
        let origin = try await Self.probeThroughAForgedReset(
            "ftp://127.0.0.1:\(server.port)/", port: server.port, serverPackets: "ip ttl set 50", in: namespace)
        #expect(origin.contains("TTL 64") && origin.contains("TTL 50"), "\(origin)")
    }

    @Test(.enabled(if: enabled)) func aResetWithAnotherHopLimitOverIPv6IsCalledInjected() async throws {
        let namespace = try TestNamespace()
        defer { namespace.delete() }
        let port = 44600
        // A listener on [::1] that never answers: the firewall resets the request before it arrives.
        let listener = try namespace.start(["/usr/bin/python3", "-c", """
            import socket, time
            s = socket.socket(socket.AF_INET6)
            s.bind(("::1", \(port)))
            s.listen()
            print("ready", flush=True)
            time.sleep(60)
            """])
        defer { listener.terminate() }
        // The server's own packets leave with hop limit 50; the firewall's reset keeps the default 64.
        let origin = try await Self.probeThroughAForgedReset(
            "http://[::1]:\(port)/", port: port, serverPackets: "ip6 hoplimit set 50", in: namespace)
        #expect(origin.contains("64") && origin.contains("50"), "\(origin)")
    }

    /// Probes `url` while the namespace's firewall resets the first request to `port` and the server's own
    /// packets are rewritten by `serverPackets` (an nft statement); the probe must fail on a RST it calls
    /// forged. Returns the RST-origin step's summary.
    private static func probeThroughAForgedReset(
        _ url: String, port: Int, serverPackets: String, in namespace: TestNamespace
    ) async throws -> String {
        try namespace.nft("tcp dport \(port) tcp flags & psh == psh reject with tcp reset")
        try namespace.nft("tcp sport \(port) tcp flags & rst == 0 \(serverPackets)", hook: "output")
        let (status, json) = try await Self.probe([url], namespace: namespace.name)
        #expect(status == 1)
        #expect(Self.verdict(json)["how"] as? String == "RST")
        #expect(Self.causes(json).first == "A device in between forged the reset (firewall, antivirus, IPS, load balancer)")
        return try #require(Self.steps(json)["RST origin"]?["summary"] as? String)
    }

    @Test(.enabled(if: enabled)) func aMiddleboxThatSilentlyDropsIdleConnectionsIsFoundByTheNextPacket() async throws {
        let namespace = try TestNamespace()
        defer { namespace.delete() }
        try namespace.sysctl("net.netfilter.nf_conntrack_tcp_timeout_established=3")
        try namespace.sysctl("net.netfilter.nf_conntrack_tcp_loose=0")
        let server = try FixtureServer.ftp(namespace: namespace.name)
        defer { server.stop() }
        try namespace.nft("tcp dport \(server.port) ct state invalid drop")
        let (_, json) = try await Self.probe(["ftp://127.0.0.1:\(server.port)/", "--idle", "--idle-max", "6", "--timeout", "1"], namespace: namespace.name)
        let idle = try #require(Self.steps(json)["Idle timeout"]?["summary"] as? String)
        #expect(idle.contains("silently dropped"), "\(idle)")
        #expect(idle.contains("between 3.0 and 3.6 s") || idle.contains("between 2.5 and 3.0 s"), "\(idle)")
    }

    // MARK: - Plain failures and usage

    @Test func aClosedPortIsRefusedWithTheErrorsAnApplicationSees() async throws {
        let (fd, port) = try Loopback.refusing()
        defer { close(fd) }
        let (status, json) = try await Self.probe(["tcp://127.0.0.1:\(port)"])
        #expect(status == 1)
        let verdict = Self.verdict(json)
        #expect(verdict["brokeAt"] as? String == "TCP connect")
        let error = try #require(verdict["applicationError"] as? [String: Any])
        #expect(error["linux"] as? String == "ECONNREFUSED (111)")
        #expect(error["explain"] as? String == "resetlab explain 10061")
    }

    @Test func badURLsAreUsageErrors() async throws {
        for (url, words) in [("gopher://x", "Unknown scheme"), ("mail.example.com", "not a URL"), ("tcp://host", "needs a port")] {
            let result = try await ResetLabBinary.runOffPool(["probe", url])
            #expect(result.status == 64, "\(url)")
            #expect(result.stderr.contains(words), "\(url): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal"))
        }
        let help = try await ResetLabBinary.runOffPool(["probe", "--help"])
        #expect(help.stdout.contains("--max-conns"))
        #expect(help.stdout.contains("Schemes: tcp, tls, smtp, smtps, ftp, ftps, http, https."))
    }
}

/// A real server from `scripts/fixtures/`, started in a temporary directory on free ports.
struct FixtureServer {
    let kind: String
    let directory: String
    let port: Int
    let namespace: String?

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// vsftpd with anonymous upload, passive ports and limits.
    static func ftp(
        maxPerIP: Int = 10, idleSeconds: Int = 300, pasvAddress: String? = nil, tls: (certificate: String, key: String)? = nil,
        namespace: String? = nil
    ) throws -> FixtureServer {
        let port = try Loopback.freePort()
        let passive = try Loopback.freePorts(10)
        var environment: [String: String] = [:]
        if let pasvAddress { environment["FTP_PASV_ADDRESS"] = pasvAddress }
        if let tls {
            environment["FTP_TLS_CERT"] = tls.certificate
            environment["FTP_TLS_KEY"] = tls.key
        }
        return try Self.start(
            "ftp-server", arguments: [String(port), String(passive), String(passive + 9), String(maxPerIP), String(idleSeconds)],
            port: port, environment: environment, namespace: namespace)
    }

    /// Postfix with its own configuration directory.
    static func smtp(connectionLimit: Int = 10, timeoutSeconds: Int = 60) throws -> FixtureServer {
        let port = try Loopback.freePort()
        return try Self.start("smtp-server", arguments: [String(port), String(connectionLimit), String(timeoutSeconds)], port: port)
    }

    /// nginx serving a page and a 1 MB file.
    static func http(keepAliveSeconds: Int = 5) throws -> FixtureServer {
        let port = try Loopback.freePort()
        return try Self.start("http-server", arguments: [String(port), String(keepAliveSeconds)], port: port)
    }

    private static func start(
        _ script: String, arguments: [String], port: Int, environment: [String: String] = [:], namespace: String? = nil
    ) throws -> FixtureServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("resetlab-\(script)-\(UUID().uuidString)").path
        let server = FixtureServer(kind: script, directory: directory, port: port, namespace: namespace)
        let result = try server.runScript(["start", directory] + arguments, environment: environment)
        guard result.status == 0 else {
            throw Loopback.Failure(description: "\(script) did not start: \(result.output)")
        }
        return server
    }

    /// Stops the server and removes its directory.
    func stop() {
        _ = try? self.runScript(["stop", self.directory])
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    private func runScript(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        let script = "\(Self.repositoryRoot)/scripts/fixtures/\(self.kind)"
        let command = (self.namespace.map { ["/usr/sbin/ip", "netns", "exec", $0] } ?? []) + [script] + arguments
        // The test process's threads block signals and children inherit that: a server whose timers are
        // signals (vsftpd's idle timeout is SIGALRM) would never time out. Start it with them unblocked.
        let unblock = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, set()); os.execv(sys.argv[1], sys.argv[1:])"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", unblock] + command
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe.forChild()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A private network namespace with its loopback up, for firewall rules that must not touch the host.
struct TestNamespace {
    let name = "rlprobe-\(getpid())-\(Int.random(in: 0..<1_000_000))"

    init() throws {
        try self.ip(["netns", "add", self.name])
        try self.ip(["-n", self.name, "link", "set", "lo", "up"])
    }

    /// Adds nftables statements to the namespace's `hook` (input by default), in a chain of their own.
    func nft(_ statements: String, hook: String = "input") throws {
        let rules = statements.split(separator: ";").map { "    \($0.trimmingCharacters(in: .whitespaces))\n" }.joined()
        let ruleset = "table inet resetlab_test_\(hook) {\n  chain \(hook) {\n    type filter hook \(hook) priority 0; policy accept;\n\(rules)  }\n}\n"
        try self.run("/usr/sbin/ip", ["netns", "exec", self.name, "/usr/sbin/nft", "-f", "-"], input: ruleset)
    }

    /// Routes `network` into the namespace's loopback, which drops packets for addresses it does not hold:
    /// connections there time out, as to a public address behind a firewall that drops.
    func routeToNowhere(_ network: String) throws {
        try self.ip(["-n", self.name, "route", "add", network, "dev", "lo"])
    }

    /// Starts `command` in the namespace and returns once it has printed its first line (that it is ready).
    func start(_ command: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", self.name] + command
        let output = Pipe.forChild()
        process.standardOutput = output
        try process.run()
        let ready = output.fileHandleForReading.availableData
        guard !ready.isEmpty else {
            process.terminate()
            throw Loopback.Failure(description: "\(command.joined(separator: " ")) ended before it was ready")
        }
        return process
    }

    func sysctl(_ assignment: String) throws {
        try self.run("/usr/sbin/ip", ["netns", "exec", self.name, "/usr/sbin/sysctl", "-qw", assignment])
    }

    func delete() {
        // Servers started inside die with it: kill what is left first.
        _ = try? self.run("/bin/sh", ["-c", "ip netns pids \(self.name) | xargs -r kill -9"])
        _ = try? self.ip(["netns", "delete", self.name])
    }

    private func ip(_ arguments: [String]) throws {
        try self.run("/usr/sbin/ip", arguments)
    }

    private func run(_ executable: String, _ arguments: [String], input: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe.forChild()
        let stdin = Pipe.forChild()
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Loopback.Failure(description: "\(executable) \(arguments.joined(separator: " ")): \(message)")
        }
    }
}
