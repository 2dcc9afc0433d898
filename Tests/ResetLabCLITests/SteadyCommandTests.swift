import Foundation
import Testing

/// `resetlab steady serve` and `send` as real processes, through the fault proxy, with kill -9.
@Suite struct SteadyCommandTests {
    /// The durable server as a process whose stdout is appended to `output`.
    final class ServeProcess: @unchecked Sendable {
        let port: Int
        let journal: String
        let output: String
        let log: String
        private var process: Process?

        init(port: Int, directory: String) {
            self.port = port
            self.journal = directory + "/server-journal"
            self.output = directory + "/received.txt"
            self.log = directory + "/serve.log"
        }

        func start() throws {
            let process = Process()
            process.executableURL = ResetLabBinary.url
            process.arguments = ["steady", "serve", "--listen", "127.0.0.1:\(self.port)", "--journal", self.journal, "--dead-after", "1"]
            process.standardOutput = try Self.appending(self.output)
            process.standardError = try Self.appending(self.log)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            self.process = process
            let deadline = Date().addingTimeInterval(10)
            while !Loopback.canConnect(port: self.port) && Date() < deadline && process.isRunning {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }

        func signal(_ number: Int32) {
            if let process = self.process, process.isRunning { kill(process.processIdentifier, number) }
        }

        func kill9() {
            guard let process = self.process else { return }
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            self.process = nil
        }

        /// SIGTERM; the exit status.
        func stop() -> Int32? {
            guard let process = self.process else { return nil }
            process.terminate()
            process.waitUntilExit()
            self.process = nil
            return process.terminationStatus
        }

        var lines: [String] {
            (try? String(contentsOfFile: self.output, encoding: .utf8))?.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) ?? []
        }

        static func appending(_ path: String) throws -> FileHandle {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
            return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        }
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "steady-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func proxy(_ arguments: [String], _ proxy: ProxyServeProcess) throws {
        let result = try ResetLabBinary.run(["proxy"] + arguments + ["--host", proxy.url])
        guard result.status == 0 else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
    }

    static func fault(_ type: String, _ attribute: String, hold: TimeInterval, _ proxy: ProxyServeProcess) throws {
        try Self.proxy(["toxic", "add", "-t", type, "-a", attribute, "-n", "fault", "steady"], proxy)
        Thread.sleep(forTimeInterval: hold)
        try Self.proxy(["toxic", "remove", "-n", "fault", "steady"], proxy)
    }

    /// The test: stdin lines through the proxy with crash_restart, reset_peer, idle_drop and
    /// half_close_reset faults, and the server killed (-9) and restarted three times. Every line arrives
    /// exactly once, in order.
    @Test func everyMessageArrivesOnceThroughFaultsAndKilledServers() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let proxy = try ProxyServeProcess()
        defer { proxy.kill() }
        #expect(proxy.waitUntilAnswering())
        let server = ServeProcess(port: try Loopback.freePort(), directory: directory)
        defer { server.kill9() }
        try server.start()
        let listen = try Loopback.freePort()
        try Self.proxy(["create", "-l", "127.0.0.1:\(listen)", "-u", "127.0.0.1:\(server.port)", "steady"], proxy)

        let count = 20_000
        let sender = Process()
        sender.executableURL = ResetLabBinary.url
        sender.arguments = ["steady", "send", "tcp://127.0.0.1:\(listen)", "--dead-after", "1", "--give-up-after", "30", "--json"]
        let input = Pipe.forChild()
        let output = Pipe.forChild()
        sender.standardInput = input
        sender.standardOutput = output
        sender.standardError = try ServeProcess.appending(directory + "/send.log")
        try sender.run()
        defer { if sender.isRunning { kill(sender.processIdentifier, SIGKILL) } }

        // Lines go in 40 chunks over about 6 s, with two long pauses in which idle_drop can strike.
        let feeder = Thread {
            for chunk in 0..<40 {
                let lines = (chunk * 500 + 1...chunk * 500 + 500).map(String.init).joined(separator: "\n") + "\n"
                input.fileHandleForWriting.write(Data(lines.utf8))
                Thread.sleep(forTimeInterval: chunk == 20 || chunk == 21 ? 0.7 : 0.12)
            }
            try? input.fileHandleForWriting.close()
        }
        feeder.start()
        let summary = try await onThread { () -> String in
            try Self.fault("crash_restart", "duration=300", hold: 0.5, proxy)
            try Self.fault("reset_peer", "timeout=20", hold: 0.2, proxy)
            server.kill9()
            Thread.sleep(forTimeInterval: 0.2)
            try server.start()
            try Self.fault("half_close_reset", "delay=20", hold: 0.2, proxy)
            try Self.fault("idle_drop", "idle=100", hold: 1.8, proxy)
            for _ in 0..<2 {
                Thread.sleep(forTimeInterval: 0.3)
                server.kill9()
                Thread.sleep(forTimeInterval: 0.2)
                try server.start()
            }
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            sender.waitUntilExit()
            return text
        }
        let sendLog = (try? String(contentsOfFile: directory + "/send.log", encoding: .utf8)) ?? ""
        #expect(sender.terminationStatus == 0, "\(sendLog)")
        #expect(summary.contains("\"acknowledged\":true"), "\(summary)")
        #expect(server.stop() == 0)
        let lines = server.lines
        #expect(lines.count == count)
        #expect(lines == (1...count).map(String.init), "first wrong line: \(lines.enumerated().first { $0.element != String($0.offset + 1) }.map { "#\($0.offset + 1): \($0.element)" } ?? "none")")
        // The faults did reach the sender.
        #expect(sendLog.contains("disconnected"), "\(sendLog)")
        let serveLog = (try? String(contentsOfFile: server.log, encoding: .utf8)) ?? ""
        #expect(serveLog.contains("run 4"), "the server ran four times: \(serveLog)")
    }

    /// A server whose process is stuck (SIGSTOP: its kernel still acknowledges every byte) is declared
    /// dead within the budget while messages are in flight; once it runs again they all arrive once.
    @Test func aStuckServerIsDetectedWithinTheBudget() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServeProcess(port: try Loopback.freePort(), directory: directory)
        defer { server.kill9() }
        try server.start()
        let sender = Process()
        sender.executableURL = ResetLabBinary.url
        sender.arguments = ["steady", "send", "tcp://127.0.0.1:\(server.port)", "--dead-after", "1", "--give-up-after", "30"]
        let input = Pipe.forChild()
        sender.standardInput = input
        sender.standardOutput = FileHandle.nullDevice
        sender.standardError = try ServeProcess.appending(directory + "/send.log")
        try sender.run()
        defer { if sender.isRunning { kill(sender.processIdentifier, SIGKILL) } }
        let (log, arrivedBeforeTheStop) = try await onThread { () -> (String, Int) in
            input.fileHandleForWriting.write(Data((1...100).map(String.init).joined(separator: "\n").appending("\n").utf8))
            let deadline = Date().addingTimeInterval(10)
            while server.lines.count < 100 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            let before = server.lines.count
            server.signal(SIGSTOP)
            input.fileHandleForWriting.write(Data((101...200).map(String.init).joined(separator: "\n").appending("\n").utf8))
            Thread.sleep(forTimeInterval: 2.5)
            let log = (try? String(contentsOfFile: directory + "/send.log", encoding: .utf8)) ?? ""
            server.signal(SIGCONT)
            try? input.fileHandleForWriting.close()
            sender.waitUntilExit()
            return (log, before)
        }
        #expect(arrivedBeforeTheStop == 100, "lines are sent as they come, not when 1000 have gathered")
        #expect(log.contains("nothing from the peer for 1 s"), "\(log)")
        #expect(sender.terminationStatus == 0)
        #expect(server.stop() == 0)
        #expect(server.lines == (1...200).map(String.init))
    }

    /// The sender killed (-9) twice and run again with its journal: it resends what was not
    /// acknowledged and continues after what it had taken, so the server gets 1 … N exactly once.
    @Test func aKilledSenderContinuesFromItsJournal() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServeProcess(port: try Loopback.freePort(), directory: directory)
        defer { server.kill9() }
        try server.start()
        let count = 30_000
        let arguments = ["steady", "send", "tcp://127.0.0.1:\(server.port)", "--count", String(count), "--journal", directory + "/client-journal", "--json"]
        let results = try await onThread { () -> [ResetLabBinary.Result] in
            var results: [ResetLabBinary.Result] = []
            for threshold in [3_000, 12_000] {
                let sender = Process()
                sender.executableURL = ResetLabBinary.url
                sender.arguments = arguments
                sender.standardOutput = FileHandle.nullDevice
                sender.standardError = FileHandle.nullDevice
                try sender.run()
                let deadline = Date().addingTimeInterval(20)
                while server.lines.count < threshold && sender.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
                kill(sender.processIdentifier, SIGKILL)
                sender.waitUntilExit()
            }
            results.append(try ResetLabBinary.run(arguments))
            return results
        }
        let last = try #require(results.last)
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.contains("\"earlierRuns\":"), "\(last.stdout)")
        #expect(!last.stdout.contains("\"earlierRuns\":0,"), "the last run continued after the earlier ones: \(last.stdout)")
        #expect(server.stop() == 0)
        let lines = server.lines
        #expect(lines.count == count)
        #expect(lines == (1...count).map(String.init))
    }

    @Test func aSenderWithNoServerGivesUpAndSaysSo() async throws {
        let refusing = try Loopback.refusing()
        defer { close(refusing.fd) }
        let result = try await ResetLabBinary.runOffPool(
            ["steady", "send", "tcp://127.0.0.1:\(refusing.port)", "--count", "3", "--give-up-after", "1", "--json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("gave up"), "\(result.stderr)")
        #expect(result.stderr.contains("refused"), "the reason reaches the user: \(result.stderr)")
        #expect(result.stdout.contains("\"acknowledged\":false"), "\(result.stdout)")
    }

    /// stdout's reader went away (`serve | head -1`): SIGPIPE does not kill the server; it stops
    /// taking messages (so none is acknowledged and lost) and says why.
    @Test func aServerWhoseStdoutClosesStopsAndSaysWhy() async throws {
        let port = try Loopback.freePort()
        let server = Process()
        server.executableURL = ResetLabBinary.url
        server.arguments = ["steady", "serve", "--listen", "127.0.0.1:\(port)"]
        let output = Pipe.forChild()
        let errors = Pipe.forChild()
        server.standardOutput = output
        server.standardError = errors
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        try output.fileHandleForReading.close()
        let sent = try await onThread { () -> ResetLabBinary.Result in
            let deadline = Date().addingTimeInterval(10)
            while !Loopback.canConnect(port: port) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            return try ResetLabBinary.run(["steady", "send", "tcp://127.0.0.1:\(port)", "--count", "5", "--give-up-after", "1", "--json"])
        }
        let stderr = try await onThread { () -> String in
            server.waitUntilExit()
            return String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        #expect(server.terminationReason == .exit, "killed by a signal instead of exiting")
        #expect(server.terminationStatus == 1)
        #expect(stderr.contains("standard output was closed"), "\(stderr)")
        #expect(sent.status == 1, "the message the server could not write was not acknowledged: \(sent.stdout)")
    }

    @Test func badInputGetsAUsageError() async throws {
        let address = try await ResetLabBinary.runOffPool(["steady", "send", "http://127.0.0.1:80", "--count", "1"])
        #expect(address.status == 64)
        #expect(address.stderr.contains("only tcp://"), "\(address.stderr)")
        let listen = try await ResetLabBinary.runOffPool(["steady", "serve", "--listen", "127.0.0.1"])
        #expect(listen.status == 64)
        #expect(listen.stderr.contains("HOST:PORT"), "\(listen.stderr)")
    }

    @Test func aServerWhoseAddressIsTakenSaysSo() async throws {
        let taken = try Loopback.listen()
        defer { close(taken.fd) }
        let result = try await ResetLabBinary.runOffPool(["steady", "serve", "--listen", "127.0.0.1:\(taken.port)"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("127.0.0.1:\(taken.port)"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }
}
