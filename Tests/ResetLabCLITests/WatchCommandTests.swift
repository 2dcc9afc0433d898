import Foundation
import Testing

/// `resetlab watch` as a process, as root: it reports the kernel's reason for a refused connect and
/// leaves no tracefs instance behind.
@Suite struct WatchCommandTests {
    static let enabled = getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true"

    /// The watch's tracefs instances (named after its pid).
    static func instances(of pid: Int32) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/kernel/tracing/instances")) ?? []).filter { $0.hasPrefix("resetlab-\(pid)-") }
    }

    /// Starts a watch and returns once it is watching (blocking: call it off the cooperative pool).
    static func start(_ arguments: [String], prefix: [String] = []) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        if prefix.isEmpty {
            process.executableURL = ResetLabBinary.url
            process.arguments = ["watch"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = prefix + [ResetLabBinary.url.path, "watch"] + arguments
        }
        let output = Pipe.forChild()
        let errors = Pipe.forChild()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The watch says so once its events are on; everything after that is in its buffer.
        var said = ""
        let deadline = Date().addingTimeInterval(30)
        while !said.contains("watching") && process.isRunning && Date() < deadline {
            said += String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
        }
        return (process, output, errors)
    }

    /// SIGINT, as Ctrl-C; then everything the watch printed, and its JSON lines.
    static func interrupt(_ watch: Process, _ output: Pipe) async throws -> (String, [[String: Any]]) {
        watch.interrupt()
        let text = try await onThread { () -> String in
            let data = output.fileHandleForReading.readDataToEndOfFile()
            watch.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        return (text, text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
    }

    @Test(.enabled(if: enabled)) func aRefusedConnectIsReportedWithNoSocketAndTheInstanceIsRemoved() async throws {
        let refusing = try Loopback.refusing()
        defer { close(refusing.fd) }
        let port = refusing.port
        let (watch, output, _) = try await onThread { try Self.start(["--json", "--port", String(port)]) }
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
        #expect(!Self.instances(of: watch.processIdentifier).isEmpty, "the watch set up its tracefs instance")
        #expect(!Loopback.canConnect(port: refusing.port))
        // SIGINT, as Ctrl-C: what the kernel buffered before it is still reported.
        try await Task.sleep(for: .milliseconds(300))
        let (text, lines) = try await Self.interrupt(watch, output)
        #expect(watch.terminationStatus == 0)
        let sent = try #require(lines.first { $0["direction"] as? String == "sent" }, "\(text)")
        #expect(sent["reason"] as? String == "NO_SOCKET")
        #expect(sent["local"] as? String == "127.0.0.1:\(refusing.port)")
        #expect(sent["state"] as? String == "UNKNOWN")
        #expect(lines.allSatisfy { ($0["local"] as? String ?? "").hasSuffix(":\(refusing.port)") || ($0["remote"] as? String ?? "").hasSuffix(":\(refusing.port)") }, "--port filters")
        #expect(Self.instances(of: watch.processIdentifier).isEmpty)
    }

    @Test(.enabled(if: enabled)) func sigtermEndsWithASummaryAndRemovesTheInstance() async throws {
        let refusing = try Loopback.refusing()
        defer { close(refusing.fd) }
        let port = refusing.port
        let (watch, output, _) = try await onThread { try Self.start(["--port", String(port)]) }
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
        _ = Loopback.canConnect(port: refusing.port)
        try await Task.sleep(for: .milliseconds(500))
        watch.terminate()
        let text = try await onThread { () -> String in
            let data = output.fileHandleForReading.readDataToEndOfFile()
            watch.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        #expect(watch.terminationStatus == 0)
        #expect(text.contains("NO_SOCKET: no socket matched the packet"), "\(text)")
        #expect(text.contains("1 resets sent"), "\(text)")
        #expect(Self.instances(of: watch.processIdentifier).isEmpty)
    }

    /// `resetlab watch | head -1`: once nobody reads its output it ends as after Ctrl-C, instance removed.
    @Test(.enabled(if: enabled)) func aClosedOutputPipeEndsTheWatchCleanly() async throws {
        let refusing = try Loopback.refusing()
        defer { close(refusing.fd) }
        let port = refusing.port
        let (watch, output, errors) = try await onThread { try Self.start(["--json", "--port", String(port)]) }
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
        let ended = try await onThread { () -> Bool in
            _ = Loopback.canConnect(port: port)
            _ = output.fileHandleForReading.availableData  // the first lines arrived
            try output.fileHandleForReading.close()
            // The next write fails (EPIPE): the watch stops.
            let deadline = Date().addingTimeInterval(10)
            while watch.isRunning && Date() < deadline {
                _ = Loopback.canConnect(port: port)
                Thread.sleep(forTimeInterval: 0.1)
            }
            return !watch.isRunning
        }
        // Reading the status of a process still running would trap: stop here, saying where it was.
        try #require(ended, "the watch kept running with nobody reading: \(Self.whereItWaits(watch, errors))")
        #expect(watch.terminationStatus == 0)
        #expect(Self.instances(of: watch.processIdentifier).isEmpty)
    }

    /// What a watch that should have ended is doing: each thread's state and kernel wait channel, and what
    /// it wrote on stderr so far.
    static func whereItWaits(_ watch: Process, _ errors: Pipe) -> String {
        let tasks = "/proc/\(watch.processIdentifier)/task"
        let threads = ((try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []).sorted().map { task in
            let read = { (name: String) in
                ((try? String(contentsOfFile: "\(tasks)/\(task)/\(name)", encoding: .utf8)) ?? "?")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let state = read("stat").split(separator: ")").last?.split(separator: " ").first.map(String.init) ?? "?"
            return "\(read("comm")) \(state) \(read("wchan"))"
        }
        let descriptor = errors.fileHandleForReading.fileDescriptor
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        let count = read(descriptor, &bytes, bytes.count)
        let stderr = String(decoding: bytes.prefix(max(0, count)), as: UTF8.self)
        return "threads [\(threads.joined(separator: "; "))], stderr: \(stderr)"
    }

    @Test(.enabled(if: enabled)) func aDurationEndsTheWatchByItself() async throws {
        let result = try await ResetLabBinary.runOffPool(["watch", "--duration", "0.5", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("resets sent"), "the summary goes to stderr with --json: \(result.stderr)")
    }

    @Test(.enabled(if: enabled)) func capturedPacketsReportResetsWithoutReasons() async throws {
        let refusing = try Loopback.refusing()
        defer { close(refusing.fd) }
        let port = refusing.port
        let (watch, output, _) = try await onThread { try Self.start(["--json", "--capture-packets", "--port", String(port)]) }
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
        #expect(Self.instances(of: watch.processIdentifier).isEmpty, "no tracefs instance when capturing packets")
        #expect(!Loopback.canConnect(port: port))
        try await Task.sleep(for: .milliseconds(300))
        let (text, lines) = try await Self.interrupt(watch, output)
        #expect(watch.terminationStatus == 0)
        let sent = try #require(lines.first { $0["direction"] as? String == "sent" }, "\(text)")
        #expect(sent["local"] as? String == "127.0.0.1:\(port)")
        #expect(sent["reason"] is NSNull)
        #expect(sent["source"] as? String == "packet capture")
        #expect(sent["runningTask"] is NSNull)
        #expect(lines.contains { $0["direction"] as? String == "received" && $0["remote"] as? String == "127.0.0.1:\(port)" }, "\(text)")
    }

    /// As an unprivileged user neither tracefs nor AF_PACKET is open to it: both are named, with what to
    /// do, and it exits 1 without leaving anything behind.
    @Test func withoutPrivilegesItSaysWhatIsMissing() async throws {
        let result: ResetLabBinary.Result
        if getuid() == 0 {
            let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
            try #require(FileManager.default.isExecutableFile(atPath: setpriv.path), "setpriv (util-linux) is missing")
            result = try await ResetLabBinary.runOffPool(
                ["--reuid=65534", "--regid=65534", "--clear-groups", "--", ResetLabBinary.url.path, "watch", "--duration", "1"],
                executable: setpriv
            )
        } else {
            result = try await ResetLabBinary.runOffPool(["watch", "--duration", "1"])
        }
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("tracefs") && result.stderr.contains("needs root"), "\(result.stderr)")
        #expect(result.stderr.contains("AF_PACKET needs root or CAP_NET_RAW"), "\(result.stderr)")
        #expect(result.stderr.contains("neither tracefs nor AF_PACKET is available"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func badOptionsAreUsageErrors() async throws {
        let result = try await ResetLabBinary.runOffPool(["watch", "--port", "70000"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--port"))
    }
}
