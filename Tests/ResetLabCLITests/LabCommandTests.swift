import Foundation
import Testing

/// `resetlab lab` end to end: real processes, real sockets, real packets. Linux is the truth: every scenario's
/// expectations are checked against what the kernel did, and a few facts from the stories are asserted here
/// directly as well. Serialized, because the interrupt test looks for stray agent processes.
@Suite(.serialized) struct LabCommandTests {
    static let isRoot = getuid() == 0
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    private func runAll() async throws -> (status: Int32, scenarios: [[String: Any]]) {
        let result = try await ResetLabBinary.runOffPool(["lab", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return (result.status, try #require(object["scenarios"] as? [[String: Any]]))
    }

    private func scenario(_ id: String, in scenarios: [[String: Any]]) throws -> [String: Any] {
        try #require(scenarios.first { $0["name"] as? String == id }, "no scenario \(id)")
    }

    private func steps(_ scenario: [String: Any]) throws -> [[String: Any]] {
        try #require(scenario["steps"] as? [[String: Any]])
    }

    private func packetFlags(_ scenario: [String: Any], from side: String) throws -> [String] {
        let packets = try #require(scenario["packets"] as? [[String: Any]])
        return packets.filter { $0["from"] as? String == side }.compactMap { $0["flags"] as? String }
    }

    @Test func everyScenarioBehavesAsLinuxDoes() async throws {
        #expect(!Self.isCI || Self.isRoot, "CI must run the lab as root so that nothing is skipped")
        let (status, scenarios) = try await self.runAll()
        #expect(scenarios.count >= 12)
        for scenario in scenarios {
            let name = scenario["name"] as? String ?? "?"
            if let skipped = scenario["skipped"] as? String {
                #expect(!Self.isRoot, "\(name) was skipped although we are root: \(skipped)")
                continue
            }
            #expect(scenario["passed"] as? Bool == true, "\(name) failed: \(scenario["failures"] ?? "")")
            let capture = try #require(scenario["capture"] as? [String: Any])
            #expect(capture["captured"] as? Bool == Self.isRoot, "\(name): capture \(capture)")
        }
        #expect(status == 0)
    }

    @Test(.enabled(if: isRoot || isCI)) func gracefulCloseThenWriteIsFINThenRST() async throws {
        let (_, scenarios) = try await self.runAll()
        let scenario = try self.scenario("graceful-close-then-write", in: scenarios)
        let server = try self.packetFlags(scenario, from: "server")
        let finIndex = try #require(server.firstIndex { $0.contains("F") })
        let rstIndex = try #require(server.firstIndex { $0.contains("R") })
        #expect(finIndex < rstIndex, "server flags: \(server)")
        let clientSteps = try self.steps(scenario).filter { $0["actor"] as? String == "client" }
        let states = clientSteps.compactMap { $0["stateBefore"] as? String }
        #expect(states.contains("CLOSE_WAIT"))
        let receive = try #require(clientSteps.first { ($0["operation"] as? String)?.hasPrefix("recv") == true })
        #expect((receive["result"] as? [String: Any])?["kind"] as? String == "eof")
        let winsock = try #require(receive["winsock"] as? [String: Any])
        #expect(winsock["code"] as? Int == 10053)
    }

    @Test(.enabled(if: isRoot || isCI)) func aCrashSendsRSTOnlyWhenDataIsUnread() async throws {
        let (_, scenarios) = try await self.runAll()
        let unread = try self.packetFlags(try self.scenario("crash-with-unread-data", in: scenarios), from: "server")
        #expect(unread.contains { $0.contains("R") } && !unread.contains { $0.contains("F") }, "\(unread)")
        let read = try self.packetFlags(try self.scenario("crash-after-read", in: scenarios), from: "server")
        #expect(read.contains { $0.contains("F") }, "\(read)")
    }

    @Test func oneScenarioPrintsATranscript() async throws {
        let result = try await ResetLabBinary.runOffPool(["lab", "connection-refused"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("ECONNREFUSED"))
        #expect(result.stdout.contains("10061"))
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func withoutCapNetRawPacketsAreNotCapturedAndSaySo() async throws {
        let setpriv = "/usr/bin/setpriv"
        try #require(FileManager.default.isExecutableFile(atPath: setpriv) || !Self.isCI, "setpriv (util-linux) is missing")
        guard Self.isRoot, FileManager.default.isExecutableFile(atPath: setpriv) else { return }
        let result = try await ResetLabBinary.runOffPool(
            ["--bounding-set", "-net_raw", "--inh-caps", "-net_raw", "--", ResetLabBinary.url.path,
             "lab", "graceful-close-then-write"],
            executable: URL(fileURLWithPath: setpriv)
        )
        let text = result.stdout
        #expect(result.status == 0, "the calls still run and pass: \(text) \(result.stderr)")
        #expect(text.contains("not captured"))
        #expect(text.contains("CAP_NET_RAW"))
    }

    @Test(.enabled(if: isRoot || isCI)) func pcapFilesOpenInTshark() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("resetlab-pcap-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let html = directory.appendingPathComponent("lab.html")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let result = try await ResetLabBinary.runOffPool(["lab", "abortive-close", "--pcap-dir", directory.path, "--html", html.path])
        #expect(result.status == 0)
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("<svg"))
        let pcap = directory.appendingPathComponent("abortive-close.pcap")
        let tshark = "/usr/bin/tshark"
        try #require(FileManager.default.isExecutableFile(atPath: tshark) || !Self.isCI, "tshark is missing")
        guard FileManager.default.isExecutableFile(atPath: tshark) else { return }
        let read = try await ResetLabBinary.runOffPool(
            ["-r", pcap.path, "-T", "fields", "-e", "tcp.flags.str"], executable: URL(fileURLWithPath: tshark)
        )
        let fields = read.stdout
        #expect(read.status == 0, "tshark: \(read.stderr)")
        #expect(fields.contains("R"), "tshark saw: \(fields)")
        #expect(fields.split(separator: "\n").count >= 5)
    }

    @Test func rejectsAnUnknownScenario() async throws {
        let result = try await ResetLabBinary.runOffPool(["lab", "no-such-scenario"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Known scenarios: graceful-close-then-write"))
    }

    @Test func listsTheScenarios() async throws {
        let result = try await ResetLabBinary.runOffPool(["lab", "--list"])
        #expect(result.status == 0)
        for id in ["graceful-close-then-write", "crash-with-unread-data", "stale-after-restart", "blackhole"] {
            #expect(result.stdout.contains(id))
        }
    }

    /// Ctrl-C (SIGINT) or SIGTERM in the middle of a firewall scenario leaves no agent process, no namespace
    /// and no tracefs instance behind, and the exit status names the signal.
    @Test(.enabled(if: isRoot || isCI), arguments: [SIGINT, SIGTERM])
    func anInterruptedRunLeavesNothingBehind(signal: Int32) async throws {
        let process = Process()
        process.executableURL = ResetLabBinary.url
        process.arguments = ["lab", "blackhole"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        // The blackhole scenario waits about a second for its timeout: interrupt it while it waits.
        var sawNamespace = false
        for _ in 0..<100 where !sawNamespace {
            try await Task.sleep(for: .milliseconds(10))
            sawNamespace = Self.namespaces(of: pid).count > 0
        }
        #expect(sawNamespace, "the scenario never created its namespace")
        try await Task.sleep(for: .milliseconds(200))
        #expect(!Self.agentProcesses().isEmpty, "agents should be running mid-scenario")
        kill(pid, signal)
        for _ in 0..<1_000 where process.isRunning {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(!process.isRunning, "the lab did not stop within 10 s of signal \(signal)")
        #expect(process.terminationStatus == 128 + signal)
        var leftovers = Self.agentProcesses()
        for _ in 0..<50 where !leftovers.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
            leftovers = Self.agentProcesses()
        }
        #expect(leftovers.isEmpty, "agent processes left: \(leftovers)")
        #expect(Self.namespaces(of: pid).isEmpty, "namespaces left: \(Self.namespaces(of: pid))")
        #expect(Self.tracefsInstances(of: pid).isEmpty, "tracefs instances left: \(Self.tracefsInstances(of: pid))")
    }

    /// The tracefs instances a process made (`resetlab-PID-…`).
    private static func tracefsInstances(of pid: Int32) -> [String] {
        let roots = ["/sys/kernel/tracing/instances", "/sys/kernel/debug/tracing/instances"]
        return roots.flatMap { root in
            ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix("resetlab-\(pid)-") }
        }
    }

    private static func namespaces(of pid: Int32) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        return entries.filter { $0.hasPrefix("resetlab-\(pid)-") }
    }

    /// Processes whose command line runs `lab-agent`.
    private static func agentProcesses() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.contains("lab-agent") ? "\(pid): \(arguments.joined(separator: " "))" : nil
        }
    }
}
