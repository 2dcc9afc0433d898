import Foundation
import Testing

/// `resetlab lab` with the kernel's reasons: every scenario is run on real sockets with the TCP tracepoints
/// read, and the reason the kernel gave for each RST is asserted here, as measured on Linux 6.18. This is what
/// verifies the meaning of each reason: a scenario that makes the kernel emit it.
///
/// Tracing needs root: CI runs these as root (with CI=true they run, and fail when not root); elsewhere
/// without root the root-only tests are skipped. When another program floods the host with resets at the same
/// time the kernel may drop trace events; a scenario whose trace is then incomplete says so, and only the
/// reasons it did find are checked.
@Suite struct LabResetReasonTests {
    static let isRoot = getuid() == 0
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Who sends each scenario's RSTs and why, in order: `server TCP_STATE`, or `server noSocket` for a RST
    /// that no socket sent (the firewall's); `A|B` where the kernel gives either, depending on a race
    /// inside it (see the scenario's summary).
    static let measured: [String: [String]] = [
        "graceful-close-then-write": ["server TCP_TIMEWAIT_SOCKET"],
        "crash-with-unread-data": ["server TCP_ABORT_ON_CLOSE"],
        "crash-after-read": ["server TCP_TIMEWAIT_SOCKET"],
        "abortive-close": ["server TCP_STATE"],
        "close-with-unread-data": ["server TCP_ABORT_ON_CLOSE"],
        "data-after-close": ["server TCP_ABORT_ON_DATA"],
        "linger2-abort": ["server TCP_ABORT_ON_LINGER"],
        "connection-refused": ["server NO_SOCKET"],
        "stale-after-restart": ["server TCP_TIMEWAIT_SOCKET|TCP_ABORT_ON_DATA"],
        "framing-deadlock": ["server TCP_STATE"],
        "framing-length-prefix": [],
        "clean-shutdown": [],
        "blackhole": [],
        "keepalive-timeout": ["client TCP_KEEPALIVE_TIMEOUT"],
        "firewall-reset": ["server noSocket"],
    ]

    /// Whether `seen` (`server TCP_STATE`) is what `measured` allows (`server TCP_STATE`, or `server A|B`).
    static func matches(_ seen: String, _ measured: String) -> Bool {
        let (seenSide, seenReason) = (seen.split(separator: " ").first, seen.split(separator: " ").last)
        let parts = measured.split(separator: " ")
        guard let side = parts.first, let reasons = parts.last, seenSide == side, let seenReason else { return false }
        return reasons.split(separator: "|").contains(seenReason)
    }

    @Test(.enabled(if: isRoot || isCI, "needs root to read the kernel's tracepoints (CI runs it as root)"))
    func everyRSTHasTheReasonTheKernelWasMeasuredToGive() async throws {
        #expect(Self.isRoot, "CI must run the lab as root so that the kernel's reasons are traced")
        let result = try await ResetLabBinary.runOffPool(["lab", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        #expect(Set(scenarios.compactMap { $0["name"] as? String }) == Set(Self.measured.keys))
        for scenario in scenarios {
            let name = try #require(scenario["name"] as? String)
            #expect(scenario["skipped"] is NSNull, "\(name) was skipped: \(scenario["skipped"] ?? "")")
            #expect(scenario["passed"] as? Bool == true, "\(name) failed: \(scenario["failures"] ?? "")")
            let trace = try #require(scenario["kernelTrace"] as? [String: Any])
            #expect(trace["traced"] as? Bool == true, "\(name): \(trace)")
            let resets = try #require(scenario["resets"] as? [[String: Any]])
            let seen = resets.map { reset in
                "\(reset["from"] as? String ?? "?") \(reset["reason"] as? String ?? reset["sentBy"] as? String ?? "?")"
            }
            let measured = Self.measured[name] ?? []
            if trace["complete"] as? Bool == true {
                #expect(seen.count == measured.count && zip(seen, measured).allSatisfy(Self.matches), "\(name): the kernel's account was \(seen)")
            } else {
                let found = seen.filter { !$0.hasSuffix(" unknown") }
                #expect(found.allSatisfy { reset in measured.contains { Self.matches(reset, $0) } }, "\(name): \(seen), \(trace)")
            }
            // Each RST is one that was captured, and says so.
            let packets = try #require(scenario["packets"] as? [[String: Any]])
            for reset in resets {
                let index = try #require(reset["packet"] as? Int, "\(name): a RST that was not captured: \(reset)")
                #expect((packets[index]["flags"] as? String)?.contains("R") == true, "\(name): packet \(index) is no RST")
            }
        }
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(.enabled(if: isRoot || isCI, "needs root to read the kernel's tracepoints (CI runs it as root)"))
    func theTranscriptSaysWhyTheServersKernelSentRST() async throws {
        let result = try await ResetLabBinary.runOffPool(["lab", "close-with-unread-data"])
        #expect(result.status == 0)
        let flat = Self.unwrapped(result.stdout)
        guard !Self.traceWasIncomplete(flat) else { return }
        #expect(flat.contains("wire: <RA server kernel sent RST: reason TCP_ABORT_ON_CLOSE (the application closed"), "\(result.stdout)")
        #expect(flat.contains("✓ server kernel RST, reason TCP_ABORT_ON_CLOSE"))
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test(.enabled(if: isRoot || isCI, "needs root to read the kernel's tracepoints (CI runs it as root)"))
    func aForgedRSTIsTheFirewallsNotASockets() async throws {
        let result = try await ResetLabBinary.runOffPool(["lab", "firewall-reset"])
        #expect(result.status == 0)
        let flat = Self.unwrapped(result.stdout)
        guard !Self.traceWasIncomplete(flat) else { return }
        #expect(flat.contains("RST in the server's name sent by the firewall (nft reject), not by a socket"), "\(result.stdout)")
        #expect(!flat.contains("reason TCP_"), "no reason is invented for a RST no socket sent")
    }

    /// Root without CAP_NET_RAW: nothing is captured, but the kernel's reasons are still traced.
    @Test(.enabled(if: isRoot || isCI, "needs root to read the kernel's tracepoints (CI runs it as root)"))
    func withoutACaptureTheReasonsAreStillTraced() async throws {
        let setpriv = "/usr/bin/setpriv"
        try #require(FileManager.default.isExecutableFile(atPath: setpriv), "setpriv (util-linux) is missing")
        let result = try await ResetLabBinary.runOffPool(
            ["--bounding-set", "-net_raw", "--inh-caps", "-net_raw", "--", ResetLabBinary.url.path,
             "lab", "graceful-close-then-write"],
            executable: URL(fileURLWithPath: setpriv)
        )
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let flat = Self.unwrapped(result.stdout)
        guard !Self.traceWasIncomplete(flat) else { return }
        #expect(flat.contains("Packets: not captured"))
        #expect(flat.contains("server kernel sent RST: reason TCP_TIMEWAIT_SOCKET ("), "\(result.stdout)")
        #expect(flat.contains("✓ server kernel RST, reason TCP_TIMEWAIT_SOCKET"))
    }

    /// `resetlab` copied into a new directory that every user may enter and run from (mode 755).
    static func copyOfTheBinaryForAnyone() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("resetlab-any-user-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        let copy = directory.appendingPathComponent("resetlab")
        // Written through a descriptor closed on exec: a process that a suite running alongside forks
        // meanwhile must not keep it open for writing, or executing the copy fails ("Text file busy").
        let bytes = try Data(contentsOf: ResetLabBinary.url)
        let fd = open(copy.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
        return copy
    }

    /// Without root the transcript says once why the reasons are missing, and everything else still runs.
    @Test func withoutRootTheTranscriptSaysOnceWhyReasonsAreMissing() async throws {
        let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
        let arguments = ["lab", "close-with-unread-data"]
        let result: ResetLabBinary.Result
        if Self.isRoot {
            try #require(FileManager.default.isExecutableFile(atPath: setpriv.path), "setpriv (util-linux) is missing")
            // The checkout may sit in a directory only root can enter (a clone into `mktemp -d`): nobody
            // runs a copy from one it can enter, as the lab re-executes its own binary for its agents.
            let copy = try Self.copyOfTheBinaryForAnyone()
            defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
            // A child forked between fork and exec may still hold the copy's descriptor for an instant.
            var attempt = try await ResetLabBinary.runOffPool(
                ["--reuid=65534", "--regid=65534", "--clear-groups", "--", copy.path] + arguments, executable: setpriv)
            for _ in 0..<20 where attempt.status == 126 && attempt.stderr.contains("Text file busy") {
                try await Task.sleep(for: .milliseconds(50))
                attempt = try await ResetLabBinary.runOffPool(
                    ["--reuid=65534", "--regid=65534", "--clear-groups", "--", copy.path] + arguments, executable: setpriv)
            }
            result = attempt
        } else {
            result = try await ResetLabBinary.runOffPool(arguments)
        }
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let flat = Self.unwrapped(result.stdout)
        #expect(flat.components(separatedBy: "not traced").count == 2, "\(result.stdout)")
        #expect(flat.contains("Reset reasons: not traced: needs root"))
        #expect(flat.contains("- server kernel RST, reason TCP_ABORT_ON_CLOSE"), "the unchecked expectation is listed")
        #expect(!flat.contains("kernel sent RST"))
    }

    /// Whether the transcript says the kernel dropped trace events (another program flooding the host with
    /// resets): then nothing is concluded from a reason it did not find.
    static func traceWasIncomplete(_ flat: String) -> Bool {
        flat.contains("the kernel's trace is incomplete")
    }

    /// The transcript with its wrapped lines joined (each line's indentation dropped).
    static func unwrapped(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
