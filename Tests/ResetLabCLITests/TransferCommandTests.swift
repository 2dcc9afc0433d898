import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `resetlab send` and `resetlab receive` end to end on loopback: identical bytes, resumes after resets
/// and after the receiver is killed, refusals, a damaged partial file, clear usage errors.
@Suite(.serialized) struct TransferCommandTests {
    @Test func aFileArrivesWithIdenticalBytes() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let source = try scratch.randomFile("photo.raw", bytes: 5_000_000)
        let port = try Loopback.freePort()
        let receiver = try Background(["receive", "--listen", "127.0.0.1:\(port)", "--dir", scratch.inbox, "--once", "--json"])
        defer { receiver.kill() }
        #expect(try await onThread { receiver.waitUntilListening(port: port) })

        let sent = try await ResetLabBinary.runOffPool(["send", source, "tcp://127.0.0.1:\(port)", "--json"])
        #expect(sent.status == 0, "\(sent.stderr)")
        let summary = try Self.json(sent.stdout)
        #expect(summary["verified"] as? Bool == true)
        #expect(summary["bytes"] as? Int == 5_000_000)
        #expect(summary["resumes"] as? Int == 0)
        #expect((summary["sha256"] as? String)?.count == 64)

        #expect(try await onThread { receiver.waitForExit() } == 0)
        let line = try Self.json(receiver.standardOutput)
        #expect(line["event"] as? String == "verified")
        #expect(line["sha256"] as? String == summary["sha256"] as? String)
        #expect(try scratch.contents(ofReceived: "photo.raw") == Data(contentsOf: URL(fileURLWithPath: source)))
        #expect(try scratch.inboxListing() == ["photo.raw"], "no .part or state file left behind")
    }

    @Test func resumesAfterAResetEveryMegabyteThroughTheProxy() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let source = try scratch.randomFile("upload.bin", bytes: 8_000_000)
        let port = try Loopback.freePort()
        let (proxy, front) = try await Self.frontProxy(to: port, toxic: ["-t", "reset_after_bytes", "-u", "-a", "bytes=1000000"])
        defer { proxy.kill() }
        let receiver = try Background(["receive", "--listen", "127.0.0.1:\(port)", "--dir", scratch.inbox, "--once"])
        defer { receiver.kill() }
        #expect(try await onThread { receiver.waitUntilListening(port: port) })

        let sent = try await ResetLabBinary.runOffPool(["send", source, "tcp://127.0.0.1:\(front)", "--json", "--give-up-after", "60"])
        #expect(sent.status == 0, "\(sent.stderr)")
        let summary = try Self.json(sent.stdout)
        #expect(summary["verified"] as? Bool == true)
        #expect((summary["resumes"] as? Int ?? 0) >= 7, "an 8 MB file through a reset every 1 MB")
        #expect(try await onThread { receiver.waitForExit() } == 0)
        #expect(receiver.standardOutput.hasPrefix("received upload.bin: 8.0 MB in "))
        #expect(receiver.standardError.contains("ECONNRESET"))
        #expect(try scratch.contents(ofReceived: "upload.bin") == Data(contentsOf: URL(fileURLWithPath: source)))
    }

    @Test func continuesFromThePartialFileAfterTheReceiverIsKilled() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let source = try scratch.randomFile("disk.img", bytes: 8_000_000)
        let port = try Loopback.freePort()
        let transfer = try await HalfWayTransfer(source, named: "disk.img", in: scratch, port: port, sending: ["--json", "--give-up-after", "60"])
        defer { transfer.kill() }
        let sender = transfer.sender
        transfer.receiver.kill()
        let second = try Background(transfer.receiverArguments)
        defer { second.kill() }

        #expect(try await onThread { sender.waitForExit(timeout: 60) } == 0, "\(sender.standardError)")
        #expect(try await onThread { second.waitForExit() } == 0)
        let summary = try Self.json(sender.standardOutput)
        #expect(summary["verified"] as? Bool == true)
        #expect((summary["resumes"] as? Int ?? 0) >= 1)
        let line = try Self.json(second.standardOutput)
        #expect((line["started_at"] as? Int ?? 0) >= 1_000_000, "the restarted receiver continued the partial file")
        #expect(try scratch.contents(ofReceived: "disk.img") == Data(contentsOf: URL(fileURLWithPath: source)))
    }

    @Test func aDamagedPartialFileIsCaughtByTheSHA256AndSentAgain() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let source = try scratch.randomFile("archive.tar", bytes: 6_000_000)
        let port = try Loopback.freePort()
        let transfer = try await HalfWayTransfer(source, named: "archive.tar", in: scratch, port: port, sending: [])
        transfer.kill()
        let arguments = transfer.receiverArguments

        // Flip bytes inside the verified part while nothing runs: only the whole-file SHA-256 can notice.
        let partial = FileHandle(forUpdatingAtPath: scratch.inbox + "/archive.tar.part")
        try partial?.seek(toOffset: 1000)
        partial?.write(Data(repeating: 0x5A, count: 16))
        try partial?.close()

        let second = try Background(arguments)
        defer { second.kill() }
        #expect(try await onThread { second.waitUntilListening(port: port) })
        let sent = try await ResetLabBinary.runOffPool(["send", source, "tcp://127.0.0.1:\(port)", "--json"])
        #expect(sent.status == 0, "\(sent.stderr)")
        let summary = try Self.json(sent.stdout)
        #expect((summary["first_offset"] as? Int ?? 0) > 0, "the new sender continued the partial file")
        #expect(summary["restarts"] as? Int == 1, "the mismatch made it start over from zero once")
        #expect(summary["verified"] as? Bool == true)
        #expect(try await onThread { second.waitForExit() } == 0)
        #expect(second.standardError.contains("SHA-256 mismatch"))
        #expect(try scratch.contents(ofReceived: "archive.tar") == Data(contentsOf: URL(fileURLWithPath: source)))
    }

    @Test func namesWithPathComponentsAreRefusedOnTheWire() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let port = try Loopback.freePort()
        let receiver = try Background(["receive", "--listen", "127.0.0.1:\(port)", "--dir", scratch.inbox])
        defer { receiver.kill() }
        #expect(try await onThread { receiver.waitUntilListening(port: port) })

        for name in ["../escape.txt", "/tmp/escape.txt", "sub/dir.txt", "..", "back\\slash"] {
            let reply = try await onThread { try RawSender.offer(name: name, sender: 1, port: port) }
            #expect(reply.type == 3, "REFUSE for \(name)")
            #expect(reply.refusalCode == 1, "invalid name for \(name)")
            #expect(reply.reason.contains("refused the name"), "\(reply.reason)")
        }
        #expect(try scratch.inboxListing().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: scratch.root + "/escape.txt"))

        // The sender checks its own name first, and says how to fix it.
        let source = try scratch.randomFile("ok.bin", bytes: 10)
        let local = try await ResetLabBinary.runOffPool(["send", source, "tcp://127.0.0.1:\(port)", "--name", "../x"])
        #expect(local.status == 64)
        #expect(local.stderr.contains("--name"))
    }

    @Test func aSymbolicLinkedPartialFileIsRefusedAndNothingIsWrittenOutside() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outside = scratch.root + "/outside.txt"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: outside))
        try FileManager.default.createSymbolicLink(atPath: scratch.inbox + "/secret.txt.part", withDestinationPath: outside)
        let source = try scratch.randomFile("secret.txt", bytes: 100_000)
        let port = try Loopback.freePort()
        let receiver = try Background(["receive", "--listen", "127.0.0.1:\(port)", "--dir", scratch.inbox])
        defer { receiver.kill() }
        #expect(try await onThread { receiver.waitUntilListening(port: port) })

        let sent = try await ResetLabBinary.runOffPool(["send", source, "tcp://127.0.0.1:\(port)", "--json"])
        #expect(sent.status == 2)
        let summary = try Self.json(sent.stdout)
        #expect(summary["outcome"] as? String == "refused")
        #expect((summary["error"] as? String ?? "").contains("symbolic link"))
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "precious")
        #expect(!FileManager.default.fileExists(atPath: scratch.inbox + "/secret.txt"))

        // A hard link is refused too: writing through it would change the file outside.
        try FileManager.default.linkItem(atPath: outside, toPath: scratch.inbox + "/linked.txt.part")
        let linked = try await ResetLabBinary.runOffPool(["send", source, "tcp://127.0.0.1:\(port)", "--name", "linked.txt"])
        #expect(linked.status == 2)
        #expect(linked.stderr.contains("hard link"))
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "precious")
    }

    @Test func aSecondSenderOfTheSameNameIsBusy() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let port = try Loopback.freePort()
        let receiver = try Background(["receive", "--listen", "127.0.0.1:\(port)", "--dir", scratch.inbox])
        defer { receiver.kill() }
        #expect(try await onThread { receiver.waitUntilListening(port: port) })
        let holder = try RawSender(port: port)
        let accepted = try holder.offer(name: "shared.bin", sender: 1)
        #expect(accepted.type == 2, "ACCEPT for the first sender")
        let second = try await onThread { try RawSender.offer(name: "shared.bin", sender: 2, port: port) }
        #expect(second.type == 3)
        #expect(second.refusalCode == 2, "busy")
        let other = try await onThread { try RawSender.offer(name: "other.bin", sender: 2, port: port) }
        #expect(other.type == 2, "another name is fine at the same time")
        holder.close()
    }

    @Test func badInputGetsClearErrorsNotCrashes() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let missing = try await ResetLabBinary.runOffPool(["send", scratch.root + "/nope.bin", "tcp://127.0.0.1:9"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("cannot open"))
        let scheme = try await ResetLabBinary.runOffPool(["send", scratch.root, "http://127.0.0.1:9"])
        #expect(scheme.status == 64)
        #expect(scheme.stderr.contains("tcp://HOST:PORT"))
        let directory = try await ResetLabBinary.runOffPool(["send", scratch.root, "tcp://127.0.0.1:9"])
        #expect(directory.status == 66)
        #expect(directory.stderr.contains("not a regular file"))
        let noDirectory = try await ResetLabBinary.runOffPool(["receive", "--listen", "127.0.0.1:0", "--dir", scratch.root + "/none"])
        #expect(noDirectory.status == 64)
        #expect(noDirectory.stderr.contains("cannot receive into"))
        let badListen = try await ResetLabBinary.runOffPool(["receive", "--listen", "nowhere"])
        #expect(badListen.status == 64)
        for result in [missing, scheme, directory, noDirectory, badListen] {
            #expect(!result.stderr.contains("Fatal error"))
        }
        let help = try await ResetLabBinary.runOffPool(["send", "--help"])
        #expect(help.stdout.contains("resetlab send backup.tar tcp://"))
        #expect(help.stdout.contains("Exit status"))
    }

    @Test func theReceiverStopsCleanlyOnSIGTERM() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let port = try Loopback.freePort()
        let receiver = try Background(["receive", "--listen", "127.0.0.1:\(port)", "--dir", scratch.inbox])
        defer { receiver.kill() }
        #expect(try await onThread { receiver.waitUntilListening(port: port) })
        receiver.process.terminate()
        #expect(try await onThread { receiver.waitForExit() } == 0)
        #expect(receiver.standardError.contains("listening on 127.0.0.1:\(port)"))
    }

    @Test func givesUpWhenNobodyAnswers() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let source = try scratch.randomFile("lonely.bin", bytes: 1000)
        let refusing = try Loopback.refusing()
        defer { close(refusing.fd) }
        let sent = try await ResetLabBinary.runOffPool(
            ["send", source, "tcp://127.0.0.1:\(refusing.port)", "--give-up-after", "1", "--json"])
        #expect(sent.status == 1)
        let summary = try Self.json(sent.stdout)
        #expect(summary["outcome"] as? String == "gave_up")
        #expect((summary["error"] as? String ?? "").contains("ECONNREFUSED"))
    }

    // MARK: - Helpers

    /// Creates a proxy in `server` in front of 127.0.0.1:`port` with one toxic; returns the proxy's port.
    /// A `resetlab proxy serve` with one proxy in front of 127.0.0.1:`port` carrying `toxic`; its listening
    /// port. Kill the process when done.
    static func frontProxy(to port: Int, toxic: [String]) async throws -> (ProxyServeProcess, Int) {
        let server = try ProxyServeProcess()
        guard try await onThread({ server.waitUntilAnswering() }) else {
            server.kill()
            throw Loopback.Failure(description: "resetlab proxy serve never answered")
        }
        do {
            return (server, try await Self.proxy(server, to: port, toxic: toxic))
        } catch {
            server.kill()
            throw error
        }
    }

    static func proxy(_ server: ProxyServeProcess, to port: Int, toxic: [String]) async throws -> Int {
        let host = ["--host", server.url]
        let created = try await ResetLabBinary.runOffPool(["proxy", "create", "-l", "127.0.0.1:0", "-u", "127.0.0.1:\(port)", "front"] + host)
        let listen = created.stdout.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let added = try await ResetLabBinary.runOffPool(["proxy", "toxic", "add"] + toxic + ["front"] + host)
        guard created.status == 0, added.status == 0, let listen else {
            throw Loopback.Failure(description: "proxy setup failed: \(created.stderr) \(added.stderr)")
        }
        return listen
    }

    static func json(_ text: String) throws -> [String: Any] {
        let line = text.split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw Loopback.Failure(description: "not a JSON object: \(text)")
        }
        return object
    }
}

/// A temporary directory with a source area and the receive directory (`inbox`); ``remove()`` deletes it.
/// A transfer stopped half-way: a receiver (`--once --json`) on `port`, a proxy in front of it at 2,000 KB/s
/// (the transfer takes seconds: time enough to interrupt it), and a sender through the proxy, returned once
/// the receiver's partial file holds 2 MB. Kill it when done.
private struct HalfWayTransfer {
    let proxy: ProxyServeProcess
    let receiverArguments: [String]
    let receiver: Background
    let sender: Background

    init(_ source: String, named name: String, in scratch: Scratch, port: Int, sending options: [String]) async throws {
        let (proxy, front) = try await TransferCommandTests.frontProxy(to: port, toxic: ["-t", "bandwidth", "-u", "-a", "rate=2000"])
        self.proxy = proxy
        self.receiverArguments = ["receive", "--listen", "127.0.0.1:\(port)", "--dir", scratch.inbox, "--once", "--json"]
        let receiver = try Background(self.receiverArguments)
        self.receiver = receiver
        guard try await onThread({ receiver.waitUntilListening(port: port) }) else {
            receiver.kill()
            proxy.kill()
            throw Loopback.Failure(description: "the receiver never listened on \(port)")
        }
        let sender = try Background(["send", source, "tcp://127.0.0.1:\(front)"] + options)
        self.sender = sender
        guard try await onThread({ scratch.waitForPartialFile(name, atLeast: 2_000_000) }) else {
            self.kill()
            throw Loopback.Failure(description: "the transfer never got going")
        }
    }

    func kill() {
        self.sender.kill()
        self.receiver.kill()
        self.proxy.kill()
    }
}

private struct Scratch {
    let root: String
    var inbox: String { self.root + "/inbox" }

    init() throws {
        self.root = NSTemporaryDirectory() + "resetlab-transfer-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: self.root + "/inbox", withIntermediateDirectories: true)
    }

    func randomFile(_ name: String, bytes: Int) throws -> String {
        let random = FileHandle(forReadingAtPath: "/dev/urandom")
        defer { try? random?.close() }
        guard let data = try random?.read(upToCount: bytes), data.count == bytes else {
            throw Loopback.Failure(description: "cannot read /dev/urandom")
        }
        let path = self.root + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    func contents(ofReceived name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: self.inbox + "/" + name))
    }

    func inboxListing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: self.inbox).sorted()
    }

    /// Waits until `NAME.part` holds at least `bytes` bytes.
    func waitForPartialFile(_ name: String, atLeast bytes: Int, timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let attributes = try? FileManager.default.attributesOfItem(atPath: self.inbox + "/" + name + ".part")
            if let size = attributes?[.size] as? Int, size >= bytes { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.root)
    }
}

/// `resetlab` running in the background; ``kill()`` (SIGKILL) in a `defer`.
private final class Background: @unchecked Sendable {
    let process = Process()
    private let output = Pipe.forChild()
    private let errors = Pipe.forChild()
    private var collected: (out: String, err: String)?

    init(_ arguments: [String]) throws {
        self.process.executableURL = ResetLabBinary.url
        self.process.arguments = arguments
        self.process.standardOutput = self.output
        self.process.standardError = self.errors
        self.process.standardInput = FileHandle.nullDevice
        try self.process.run()
    }

    func waitUntilListening(port: Int, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && self.process.isRunning {
            if Loopback.canConnect(port: port) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Waits for the process to exit; its status, or `nil` (and SIGKILL) after `timeout`.
    func waitForExit(timeout: TimeInterval = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while self.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard !self.process.isRunning else {
            self.kill()
            return nil
        }
        return self.process.terminationStatus
    }

    func kill() {
        if self.process.isRunning { Foundation.kill(self.process.processIdentifier, SIGKILL) }
        self.process.waitUntilExit()
    }

    var standardOutput: String { self.collect().out }
    var standardError: String { self.collect().err }

    private func collect() -> (out: String, err: String) {
        if let collected { return collected }
        self.kill()
        let out = String(decoding: self.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: self.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        self.collected = (out, err)
        return (out, err)
    }
}

/// Speaks the first step of the transfer protocol by hand: OFFER, then reads the one reply. Frames are
/// `type: UInt8, length: UInt32 BE, payload`; OFFER's payload is `version 1, size: UInt64, modified: Int64,
/// sender: UInt64, nameLength: UInt16, name`; REFUSE's is `code: UInt8, length: UInt16, reason`.
private final class RawSender {
    struct Reply {
        var type: UInt8
        var refusalCode: UInt8?
        var reason: String
    }

    private let fd: Int32

    init(port: Int) throws {
        self.fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(self.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(self.fd)
            throw Loopback.Failure(description: "connect: errno \(errno)")
        }
    }

    static func offer(name: String, sender: UInt64, port: Int) throws -> Reply {
        let raw = try RawSender(port: port)
        defer { raw.close() }
        return try raw.offer(name: name, sender: sender)
    }

    func offer(name: String, sender: UInt64) throws -> Reply {
        func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.bigEndian) { Array($0) }
        }
        let nameBytes = Array(name.utf8)
        let payload = [UInt8(1)] + bigEndian(UInt64(1_000)) + bigEndian(Int64(1)) + bigEndian(sender)
            + bigEndian(UInt16(nameBytes.count)) + nameBytes
        let frame = [UInt8(1)] + bigEndian(UInt32(payload.count)) + payload
        _ = frame.withUnsafeBytes { send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        let header = try self.read(5)
        let length = Int(header[1]) << 24 | Int(header[2]) << 16 | Int(header[3]) << 8 | Int(header[4])
        let body = try self.read(length)
        guard header[0] == 3, body.count >= 3 else { return Reply(type: header[0], refusalCode: nil, reason: "") }
        return Reply(type: 3, refusalCode: body[0], reason: String(decoding: body.dropFirst(3), as: UTF8.self))
    }

    private func read(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress.map { $0 + filled }, count - filled, 0) }
            guard got > 0 else { throw Loopback.Failure(description: "the receiver closed the connection") }
            filled += got
        }
        return bytes
    }

    func close() {
        Glibc.close(self.fd)
    }
}
