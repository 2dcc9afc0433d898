import CResetLabLinux
import Foundation
import ResetLabLab

/// The runner's handle on one agent process: start it (optionally inside a network namespace), exchange
/// protocol lines with it, kill it.
final class AgentProcess {
    /// Why talking to an agent failed.
    enum Failure: Error, CustomStringConvertible {
        case couldNotStart(String)
        case noReply(seconds: Double)
        case exited

        var description: String {
            switch self {
            case .couldNotStart(let why): "could not start an agent process: \(why)"
            case .noReply(let seconds): "no reply within \(seconds) s"
            case .exited: "the agent process exited"
            }
        }
    }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer: [UInt8] = []
    private let cleanup: LabCleanup

    /// The process id, registered with the cleanup so an interrupted run leaves nothing behind.
    var processIdentifier: Int32 { self.process.processIdentifier }

    init(executable: String, arguments: [String], namespace: String?, cleanup: LabCleanup) throws {
        self.cleanup = cleanup
        if let namespace {
            self.process.executableURL = URL(fileURLWithPath: SystemTools.ip)
            self.process.arguments = ["netns", "exec", namespace, executable] + arguments
        } else {
            self.process.executableURL = URL(fileURLWithPath: executable)
            self.process.arguments = arguments
        }
        // Agents need no working directory; inheriting one this user cannot enter would stop them starting.
        self.process.currentDirectoryURL = URL(fileURLWithPath: "/")
        self.process.standardInput = self.input
        self.process.standardOutput = self.output
        self.process.standardError = FileHandle.nullDevice
        do {
            try self.process.run()
        } catch {
            throw Failure.couldNotStart("\(executable): \(error)")
        }
        cleanup.register(process: self.process.processIdentifier)
    }

    /// Sends one line.
    func send(_ line: String) throws {
        do {
            try self.input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            throw Failure.exited
        }
    }

    /// Reads one line, waiting at most `timeout` seconds.
    func readLine(timeout: Double) throws -> String {
        let fd = self.output.fileHandleForReading.fileDescriptor
        let deadline = rl_monotonic_nanoseconds() + Int64(timeout * 1e9)
        while true {
            if let newline = self.buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: self.buffer[..<newline], as: UTF8.self)
                self.buffer.removeSubrange(...newline)
                return line
            }
            let remaining = Int32(max(0, (deadline - rl_monotonic_nanoseconds()) / 1_000_000))
            guard remaining > 0, rl_wait_readable(fd, -1, remaining) > 0 else {
                throw Failure.noReply(seconds: timeout)
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure.exited }
            self.buffer += chunk.prefix(count)
        }
    }

    /// Sends a command and waits for its reply.
    func perform(_ command: AgentCommand, timeout: Double) throws -> AgentReply {
        try self.send(command.line)
        return try self.awaitReply(timeout: timeout)
    }

    /// Waits for the reply to a command sent earlier.
    func awaitReply(timeout: Double) throws -> AgentReply {
        let line = try self.readLine(timeout: timeout)
        guard let reply = AgentReply(line: line) else { throw Failure.couldNotStart("unreadable reply '\(line)'") }
        return reply
    }

    /// SIGKILL, and wait until the process is gone (its sockets are then closed by the kernel).
    func kill() {
        guard self.process.isRunning else { return }
        Glibc.kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
        self.cleanup.unregister(process: self.process.processIdentifier)
    }

    /// Ends the agent: closes its input (it exits by itself), and kills it if it does not.
    func finish() {
        try? self.input.fileHandleForWriting.close()
        let deadline = rl_monotonic_nanoseconds() + 500_000_000
        while self.process.isRunning, rl_monotonic_nanoseconds() < deadline { usleep(1_000) }
        self.kill()
        self.cleanup.unregister(process: self.process.processIdentifier)
    }
}
