import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `resetlab capture` end to end, on captures the tests make themselves: the lab's scenarios (captured with
/// AF_PACKET) and real loopback traffic captured by tcpdump and dumpcap, converted by editcap to the other
/// formats. Needs root (packet capture); under CI it must run.
@Suite(.serialized) struct CaptureCommandTests {
    static let isRoot = getuid() == 0
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Runs `resetlab capture … --format json` and returns its connections.
    static func connections(_ arguments: [String]) async throws -> [[String: Any]] {
        let result = try await ResetLabBinary.runOffPool(["capture"] + arguments + ["--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(object["connections"] as? [[String: Any]])
    }

    @Test(.enabled(if: isRoot || isCI)) func everyLabScenarioGetsItsVerdict() async throws {
        #expect(Self.isRoot, "CI must run as root")
        let directory = try TemporaryDirectory()
        let lab = try await ResetLabBinary.runOffPool(["lab", "--pcap-dir", directory.path])
        #expect(lab.status == 0, "\(lab.stdout)\(lab.stderr)")
        // Scenario → the verdicts its connections may get, first connection first.
        let expected: [(String, [Set<String>], String)] = [
            ("graceful-close-then-write", [["fin-then-reset"]], "RSTR"),
            ("crash-with-unread-data", [["reset-by-server", "reset-mid-transfer"]], "RSTR"),
            ("crash-after-read", [["fin-then-reset"]], "RSTR"),
            ("abortive-close", [["reset-by-server", "reset-mid-transfer"]], "RSTR"),
            ("close-with-unread-data", [["reset-by-server", "reset-mid-transfer"]], "RSTR"),
            ("connection-refused", [["refused"]], "REJ"),
            ("stale-after-restart", [["fin-then-reset"], ["still-open", "clean-close"]], "RSTR"),
            ("framing-deadlock", [["reset-by-server", "reset-after-idle", "reset-mid-transfer"]], "RSTR"),
            ("framing-length-prefix", [["clean-close"]], "SF"),
            ("clean-shutdown", [["clean-close"]], "SF"),
            ("firewall-reset", [["reset-mid-transfer", "reset-by-server"]], "RSTR"),
        ]
        for (scenario, verdicts, state) in expected {
            let connections = try await Self.connections([directory.path + "/\(scenario).pcap"])
            try #require(connections.count == verdicts.count, "\(scenario): \(connections)")
            for (connection, allowed) in zip(connections, verdicts) {
                let verdict = connection["verdict"] as? String ?? "?"
                #expect(allowed.contains(verdict), "\(scenario): \(verdict)")
            }
            #expect(connections[0]["zeekConnState"] as? String == state, "\(scenario)")
            if state != "SF" {
                let reset = try #require(connections[0]["firstReset"] as? [String: Any], "\(scenario)")
                #expect(reset["from"] as? String == "server", "\(scenario)")
                #expect(reset["middleboxSuspected"] as? Bool == false, "\(scenario)")
            }
        }
        // The blackholed connection never ends in the capture; its client retransmitted.
        let blackhole = try await Self.connections([directory.path + "/blackhole.pcap"])
        #expect(blackhole.first?["verdict"] as? String == "still-open")
        #expect((blackhole.first?["zeekHistory"] as? String)?.contains("T") == true)
    }

    @Test(.enabled(if: isRoot || isCI)) func tcpdumpAndDumpcapCapturesInEveryFormat() async throws {
        let directory = try TemporaryDirectory()
        let pcap = directory.path + "/loopback.pcap"
        let pcapng = directory.path + "/loopback.pcapng"
        let listener = try Loopback.listen()
        defer { close(listener.fd) }
        let refusing = try Loopback.refusing()
        defer { close(refusing.fd) }
        let refusedPort = refusing.port
        let traffic = try LoopbackTraffic(port: listener.port, refusedPort: refusedPort)
        defer { traffic.close() }
        let filter = traffic.filter
        let tcpdump = try Capturer.start(["/usr/bin/tcpdump", "-i", "lo", "--immediate-mode", "-U", "-Z", "root", "-w", pcap, filter])
        let dumpcap = try Capturer.start(["/usr/bin/dumpcap", "-i", "lo", "-q", "-w", pcapng, "-f", filter])
        // dumpcap says "Capturing on" a little before its filter is attached: give it a moment.
        try await Task.sleep(for: .milliseconds(1_000))
        try await onThread { try traffic.play(listener: listener.fd) }
        // dumpcap hands packets over in blocks at most a second apart: let the last block arrive.
        try await Task.sleep(for: .milliseconds(1_200))
        tcpdump.stop()
        dumpcap.stop()

        let nanosecond = directory.path + "/loopback-ns.pcap"
        let converted = directory.path + "/loopback-converted.pcapng"
        for (arguments, output) in [(["-F", "nsecpcap", pcap], nanosecond), (["-F", "pcapng", pcap], converted)] {
            let editcap = try await onThread { try Capturer.run(["/usr/bin/editcap"] + arguments + [output]) }
            #expect(editcap == 0)
        }
        for file in [pcap, pcapng, nanosecond, converted] {
            let connections = try await Self.connections([file])
            let verdicts = connections.map { $0["verdict"] as? String ?? "?" }
            try #require(connections.count == 3, "\(file): \(connections)")
            #expect(verdicts == ["reset-mid-transfer", "refused", "clean-close"] || verdicts == ["reset-by-server", "refused", "clean-close"], "\(file): \(verdicts)")
            #expect(connections.map { $0["zeekConnState"] as? String } == ["RSTR", "REJ", "SF"], "\(file)")
            #expect(connections.allSatisfy { ($0["responder"] as? [String: Any])?["port"] as? Int != nil })
            #expect((connections[1]["responder"] as? [String: Any])?["port"] as? Int == refusedPort)
        }
        // Standard input gives the same answer as the file.
        let piped = try await onThread { try Capturer.run(["/bin/sh", "-c", "'\(ResetLabBinary.url.path)' capture - --format tsv < '\(pcapng)'"], capture: true) }
        #expect(piped.status == 0)
        #expect(piped.output.contains("refused") && piped.output.contains("clean-close"))
    }

    @Test func aCutCaptureReportsWhatCameBeforeAndNamesTheOffset() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/cut.pcap"
        try Data(Self.tenConnections.dropLast(7)).write(to: URL(fileURLWithPath: path))
        let result = try await ResetLabBinary.runOffPool(["capture", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("capture stopped at byte "), "\(result.stderr)")
        #expect(result.stderr.contains("truncated record at byte"))
        #expect(result.stderr.contains("Everything before it is reported above."))
        #expect(result.stdout.contains("connections 10"), "\(result.stdout)")
        #expect(!result.stderr.contains("Fatal") && !result.stderr.contains("Stack"))
    }

    @Test func notACaptureSaysWhatItLooksLike() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/notes.txt"
        try Data("12:00:01.000 IP 10.0.0.1.1 > 10.0.0.2.80: Flags [R]\n".utf8).write(to: URL(fileURLWithPath: path))
        let text = try await ResetLabBinary.runOffPool(["capture", path])
        #expect(text.status == 1)
        #expect(text.stderr.contains("not a pcap or pcapng file"))
        #expect(text.stderr.contains("tcpdump's printed output"))

        let missing = try await ResetLabBinary.runOffPool(["capture", directory.path + "/nothing.pcap"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("Cannot open \(directory.path)/nothing.pcap: No such file or directory"))

        let folder = try await ResetLabBinary.runOffPool(["capture", directory.path])
        #expect(folder.status == 1)
        #expect(folder.stderr.contains("Is a directory"))

        let badHost = try await ResetLabBinary.runOffPool(["capture", path, "--host", "example.com"])
        #expect(badHost.status == 64)
        #expect(badHost.stderr.contains("not an IPv4 or IPv6 address"))
    }

    @Test func showTellsOneConnectionsStory() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/ten.pcap"
        try Data(Self.tenConnections).write(to: URL(fileURLWithPath: path))
        let shown = try await ResetLabBinary.runOffPool(["capture", "show", path, "--conn", "3"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("Connection 3: 10.0.0.1:40002"))
        #expect(shown.stdout.contains("Story: 1–3 handshake; 4 client sends 10 bytes; 5 server RST"))
        let absent = try await ResetLabBinary.runOffPool(["capture", "show", path, "--conn", "11"])
        #expect(absent.status == 1)
        #expect(absent.stderr.contains("has no connection 11"))

        let html = directory.path + "/report.html"
        let report = try await ResetLabBinary.runOffPool(["capture", path, "--only", "resets", "--html", html])
        #expect(report.status == 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("5 server RST"))
    }

    @Test func helpTeaches() async throws {
        let help = try await ResetLabBinary.runOffPool(["capture", "--help"])
        #expect(help.stdout.contains("resetlab capture show trace.pcap --conn 7"))
        let analyze = try await ResetLabBinary.runOffPool(["capture", "analyze", "--help"])
        #expect(analyze.stdout.contains("--only <kind>"))
        #expect(analyze.stdout.contains("conn_state"))
    }

    /// Ten connections from 10.0.0.1:40000+i to 10.0.0.2:80, each a handshake, 10 bytes and the server's
    /// RST, written as a pcap by hand.
    static var tenConnections: [UInt8] {
        var bytes: [UInt8] = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0] + [UInt8](repeating: 0, count: 8) + [0, 0, 4, 0, 1, 0, 0, 0]
        var time: UInt32 = 0
        func frame(_ fromClient: Bool, _ port: UInt16, _ flags: UInt8, _ seq: UInt32, _ ack: UInt32, _ payload: Int) {
            var ip: [UInt8] = [0x45, 0, 0, UInt8(40 + payload), 0, 0, 0x40, 0, 64, 6, 0, 0]
            ip += fromClient ? [10, 0, 0, 1, 10, 0, 0, 2] : [10, 0, 0, 2, 10, 0, 0, 1]
            let (source, destination) = fromClient ? (port, UInt16(80)) : (UInt16(80), port)
            var tcp: [UInt8] = [UInt8(source >> 8), UInt8(source & 0xff), UInt8(destination >> 8), UInt8(destination & 0xff)]
            for value in [seq, ack] { tcp += [24, 16, 8, 0].map { UInt8((value >> $0) & 0xff) } }
            tcp += [0x50, flags, 0xff, 0xff, 0, 0, 0, 0] + [UInt8](repeating: 0x61, count: payload)
            let packet = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0] + ip + tcp
            time += 1
            let length = UInt32(packet.count)
            for value in [1_700_000_000, time * 1000, length, length] as [UInt32] {
                bytes += [0, 8, 16, 24].map { UInt8((value >> $0) & 0xff) }
            }
            bytes += packet
        }
        for index in 0..<10 {
            let port = UInt16(40_000 + index)
            frame(true, port, 0x02, 100, 0, 0)
            frame(false, port, 0x12, 500, 101, 0)
            frame(true, port, 0x10, 101, 501, 0)
            frame(true, port, 0x18, 101, 501, 10)
            frame(false, port, 0x04, 501, 0, 0)
        }
        return bytes
    }
}

/// A temporary directory removed when the value is gone.
final class TemporaryDirectory {
    let path: String

    init() throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("resetlab-capture-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

/// A packet capturer (tcpdump, dumpcap) running until ``stop()``.
struct Capturer {
    let process: Process

    /// Starts the capturer and waits until it says it is listening. The test process's threads block
    /// SIGINT and a child inherits that, so the capturer starts through a shim that unblocks it.
    static func start(_ command: [String]) throws -> Capturer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        let unblock = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, set()); os.execv(sys.argv[1], sys.argv[1:])"
        process.arguments = ["-c", unblock] + command
        let errors = Pipe.forChild()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = ""
        let deadline = Date().addingTimeInterval(10)
        while !seen.contains("istening on") && !seen.contains("Capturing on") && Date() < deadline {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        guard seen.contains("istening on") || seen.contains("Capturing on") else {
            process.terminate()
            throw Loopback.Failure(description: "\(command[0]) did not start: \(seen)")
        }
        return Capturer(process: process)
    }

    /// Stops the capture (SIGINT, as Ctrl-C would) and waits for the file to be complete.
    func stop() {
        kill(self.process.processIdentifier, SIGINT)
        self.process.waitUntilExit()
    }

    /// Runs a command to its end; returns its status.
    static func run(_ command: [String]) throws -> Int32 {
        try self.run(command, capture: false).status
    }

    /// Runs a command to its end; returns its status and, when `capture` is set, its standard output.
    static func run(_ command: [String], capture: Bool) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let output = Pipe.forChild()
        process.standardOutput = capture ? output : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = capture ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Real loopback traffic with known endings: a reset (closed with unread data), a refusal, a clean close.
///
/// Its three client sockets are bound before the capture starts, so that the capture filter names both
/// ports of each connection: another suite's connection to a port that happens to be the listener's (a
/// port from ``Loopback/freePort()``, meant to be closed, say) stays out of the capture.
struct LoopbackTraffic: Sendable {
    let port: Int
    let refusedPort: Int
    /// The client sockets: the reset connection's, the refused one's, the clean one's.
    let clients: [(fd: Int32, port: Int)]

    init(port: Int, refusedPort: Int) throws {
        self.port = port
        self.refusedPort = refusedPort
        self.clients = try (0..<3).map { _ in try Loopback.refusing() }
    }

    /// A capture filter that matches the three connections and nothing else.
    var filter: String {
        let served = "tcp port \(self.port) and (tcp port \(self.clients[0].port) or tcp port \(self.clients[2].port))"
        let refused = "tcp port \(self.refusedPort) and tcp port \(self.clients[1].port)"
        return "src host 127.0.0.1 and dst host 127.0.0.1 and ((\(served)) or (\(refused)))"
    }

    func play(listener: Int32) throws {
        // 1. The server closes with 5 bytes unread: its kernel sends RST.
        let first = try Self.connect(self.clients[0].fd, port: self.port)
        let accepted = accept(listener, nil, nil)
        _ = Array("hello".utf8).withUnsafeBytes { send(first, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        usleep(50_000)
        Glibc.close(accepted)
        usleep(50_000)
        // 2. Nobody listens: RST answers the SYN.
        _ = try? Self.connect(self.clients[1].fd, port: self.refusedPort)
        usleep(20_000)
        // 3. Both sides close in order.
        let third = try Self.connect(self.clients[2].fd, port: self.port)
        let peer = accept(listener, nil, nil)
        shutdown(third, Int32(SHUT_WR))
        var buffer = [UInt8](repeating: 0, count: 16)
        _ = buffer.withUnsafeMutableBytes { recv(peer, $0.baseAddress, $0.count, 0) }
        Glibc.close(peer)
        _ = buffer.withUnsafeMutableBytes { recv(third, $0.baseAddress, $0.count, 0) }
    }

    /// Closes the client sockets.
    func close() {
        for client in self.clients { Glibc.close(client.fd) }
    }

    /// Connects the bound socket `fd` to 127.0.0.1:`port`; returns `fd`.
    private static func connect(_ fd: Int32, port: Int) throws -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw Loopback.Failure(description: "connect to \(port): errno \(errno)") }
        return fd
    }
}
