import Foundation
import Testing

/// Every reset reason that can be made on loopback, made by two real processes (rl-server, rl-client from
/// Fixtures/reset_actors.py) while `resetlab watch --json` runs: the reason, the state and the processes
/// it reports. As root; under CI they run, without root outside CI they are skipped.
@Suite struct WatchReasonTests {
    static let enabled = WatchCommandTests.enabled
    static let actors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/reset_actors.py")

    /// What the actors did.
    struct Actors: Sendable {
        var server: Int
        var client: Int
        var port: Int
        var clientPort: Int
        var clientResult: String
    }

    /// One scenario from reset_actors.py, with `resetlab watch --json ARGUMENTS` running around it, both
    /// prefixed with `prefix` (e.g. `ip netns exec NS`). Returns the actors and the watch's JSON lines.
    static func run(
        _ scenario: String, _ scenarioArguments: [String] = [], watching arguments: [String], prefix: [String] = []
    ) async throws -> (Actors, [[String: Any]]) {
        let (actors, text) = try await onThread { () -> (Actors, String) in
            let (watch, output, _) = try WatchCommandTests.start(["--json"] + arguments, prefix: prefix)
            defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
            let actors = Process()
            actors.executableURL = URL(fileURLWithPath: prefix.isEmpty ? "/usr/bin/python3" : "/usr/bin/env")
            actors.arguments = (prefix.isEmpty ? [] : prefix + ["python3"]) + [Self.actors.path, scenario] + scenarioArguments
            let said = Pipe.forChild()
            actors.standardOutput = said
            try actors.run()
            let data = said.fileHandleForReading.readDataToEndOfFile()
            actors.waitUntilExit()
            guard actors.terminationStatus == 0, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let server = object["server"] as? Int, let client = object["client"] as? Int, let port = object["port"] as? Int,
                let clientPort = object["clientPort"] as? Int, let clientResult = object["clientResult"] as? String
            else { throw ActorsFailed(output: String(decoding: data, as: UTF8.self)) }
            // Let the last events be read, then stop the watch as Ctrl-C does.
            Thread.sleep(forTimeInterval: 0.3)
            watch.interrupt()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            watch.waitUntilExit()
            return (Actors(server: server, client: client, port: port, clientPort: clientPort, clientResult: clientResult), text)
        }
        let lines = text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return (actors, lines)
    }

    struct ActorsFailed: Error, CustomStringConvertible {
        var output: String
        var description: String { "reset_actors.py failed: \(self.output)" }
    }

    /// The reset sent on the scenario's connection (the server's port at one end).
    static func sent(_ lines: [[String: Any]], _ actors: Actors) -> [String: Any]? {
        lines.first { line in
            line["direction"] as? String == "sent"
                && [line["local"], line["remote"]].contains { ($0 as? String)?.hasSuffix(":\(actors.port)") == true }
        }
    }

    static func pid(_ line: [String: Any], _ key: String) -> Int? {
        (line[key] as? [String: Any])?["pid"] as? Int
    }

    static func command(_ line: [String: Any], _ key: String) -> String? {
        (line[key] as? [String: Any])?["command"] as? String
    }

    @Test(.enabled(if: enabled)) func noListenerIsNoSocketAnsweringTheClient() async throws {
        // A port bound and never listening, held here so that no test alongside can take it.
        let refusing = try Loopback.refusing()
        defer { close(refusing.fd) }
        let port = String(refusing.port)
        let (actors, lines) = try await Self.run("refused", [port], watching: ["--port", port])
        #expect(actors.clientResult == "ECONNREFUSED")
        let sent = try #require(Self.sent(lines, actors), "\(lines)")
        #expect(sent["reason"] as? String == "NO_SOCKET")
        #expect(sent["local"] as? String == "127.0.0.1:\(actors.port)")
        #expect(sent["process"] is NSNull, "no socket holds the port")
        // The client's socket never reached the socket table: its process is known only when the kernel
        // answered the SYN in the client's own context. Under load ksoftirqd may have, and then no process
        // may be named at all.
        if (sent["runningTask"] as? String)?.hasPrefix("rl-client/") == true {
            #expect(Self.pid(sent, "peerProcess") == actors.client)
            #expect(Self.command(sent, "peerProcess") == "rl-client")
        } else {
            #expect(sent["peerProcess"] is NSNull, "\(sent)")
        }
    }

    @Test(.enabled(if: enabled)) func closingWithUnreadDataIsAbortOnCloseByTheServer() async throws {
        let (actors, lines) = try await Self.run("unread", watching: ["--comm", "rl-server"])
        #expect(actors.clientResult == "ECONNRESET")
        let sent = try #require(Self.sent(lines, actors), "\(lines)")
        #expect(sent["reason"] as? String == "TCP_ABORT_ON_CLOSE")
        #expect(sent["local"] as? String == "127.0.0.1:\(actors.port)")
        #expect(Self.pid(sent, "process") == actors.server)
        #expect(Self.command(sent, "process") == "rl-server")
        #expect(Self.pid(sent, "peerProcess") == actors.client)
        // The client's side: the RST it received, on its own socket.
        let received = try #require(lines.first { $0["direction"] as? String == "received" && $0["local"] as? String == "127.0.0.1:\(actors.clientPort)" }, "\(lines)")
        #expect(Self.pid(received, "process") == actors.client)
        #expect(received["state"] as? String == "TCP_ESTABLISHED")
    }

    @Test(.enabled(if: enabled)) func aProcessFilterLeavesOtherProcessesOut() async throws {
        let (actors, lines) = try await Self.run("refused", watching: ["--pid", "1"])
        #expect(actors.clientResult == "ECONNREFUSED")
        #expect(Self.sent(lines, actors) == nil, "\(lines)")
    }

    @Test(.enabled(if: enabled)) func lingerZeroIsTcpStateByTheServer() async throws {
        let (actors, lines) = try await Self.run("linger", watching: [])
        #expect(actors.clientResult == "ECONNRESET")
        let sent = try #require(Self.sent(lines, actors), "\(lines)")
        #expect(sent["reason"] as? String == "TCP_STATE")
        #expect(Self.pid(sent, "process") == actors.server)
        #expect(Self.pid(sent, "peerProcess") == actors.client)
    }

    @Test(.enabled(if: enabled)) func dataAfterAGracefulCloseIsTheTimeWaitSocketAnsweringTheClient() async throws {
        let (actors, lines) = try await Self.run("timewait", watching: ["--comm", "rl-client"])
        #expect(actors.clientResult == "b''", "the client reads end-of-file, not an error")
        let sent = try #require(Self.sent(lines, actors), "\(lines)")
        #expect(sent["reason"] as? String == "TCP_TIMEWAIT_SOCKET")
        #expect(sent["state"] as? String == "TCP_TIME_WAIT")
        #expect(Self.pid(sent, "process") == actors.server)
        #expect((sent["process"] as? [String: Any])?["evidence"] as? String == "closed it earlier")
        #expect(Self.pid(sent, "peerProcess") == actors.client)
    }

    @Test(.enabled(if: enabled)) func dataAfterShutdownIsAbortOnDataAndNotAReceivedReset() async throws {
        let (actors, lines) = try await Self.run("shutdown", watching: ["--comm", "rl-server"])
        let sent = try #require(Self.sent(lines, actors), "\(lines)")
        #expect(sent["reason"] as? String == "TCP_ABORT_ON_DATA")
        #expect(Self.pid(sent, "process") == actors.server)
        // The kernel's tcp_reset() on its own socket fires tcp_receive_reset: not shown as a RST received.
        #expect(!lines.contains { $0["direction"] as? String == "received" && $0["local"] as? String == "127.0.0.1:\(actors.port)" }, "\(lines)")
    }

    @Test(.enabled(if: enabled)) func unansweredKeepalivesAreKeepaliveTimeoutForTheClient() async throws {
        let namespace = "rl-watch-\(getpid())"
        try Self.ip(["netns", "add", namespace])
        defer { try? Self.ip(["netns", "delete", namespace]) }
        try Self.ip(["-n", namespace, "link", "set", "lo", "up"])
        // The watch runs in the namespace too: its socket table is that namespace's.
        let (actors, lines) = try await Self.run("keepalive", watching: ["--comm", "rl-client"], prefix: ["ip", "netns", "exec", namespace])
        #expect(actors.clientResult == "ETIMEDOUT")
        let sent = try #require(lines.first { $0["reason"] as? String == "TCP_KEEPALIVE_TIMEOUT" }, "\(lines)")
        #expect(sent["local"] as? String == "127.0.0.1:\(actors.clientPort)")
        #expect(Self.pid(sent, "process") == actors.client)
        #expect(Self.command(sent, "process") == "rl-client")
    }

    static func ip(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip"] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ActorsFailed(output: "ip \(arguments.joined(separator: " ")) failed") }
    }
}
