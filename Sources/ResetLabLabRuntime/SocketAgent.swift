import CResetLabLinux
import Glibc
import ResetLabLab

/// The agent side of the lab: a process that owns one listening socket and one connection, performs each
/// ``AgentCommand`` it reads on standard input, and answers with an ``AgentReply`` on standard output.
///
/// Running each side of a scenario in its own process is what makes a crash real: the runner kills the
/// server agent with SIGKILL and the kernel, not the program, closes its sockets.
public struct SocketAgent {
    private var listener: Int32 = -1
    private var connection: Int32 = -1

    public init() {}

    /// Serves commands until standard input ends.
    public mutating func run() {
        _ = rl_die_with_parent()
        while let line = readLine() {
            let reply: AgentReply
            if let command = AgentCommand(line: line) {
                reply = self.perform(command)
            } else {
                reply = AgentReply(stateBefore: nil, outcome: .failed(Self.error(-EINVAL)))
            }
            AgentOutput.writeLine(reply.line)
        }
    }

    private mutating func perform(_ command: AgentCommand) -> AgentReply {
        switch command {
        case .listen(let host, let port):
            var bound: UInt16 = 0
            let fd = rl_tcp_listen(host, port, 16, &bound)
            guard fd >= 0 else { return self.failure(nil, fd) }
            self.listener = fd
            return AgentReply(stateBefore: nil, outcome: .done, port: bound)
        case .closeListener:
            let before = Self.state(self.listener)
            let status = rl_close(self.listener)
            self.listener = -1
            return self.result(before, Int(status)) { _ in .done }
        case .connect(let host, let port, let userTimeout):
            return self.connect(host: host, port: port, userTimeout: userTimeout)
        case .reconnect(let host, let port):
            if self.connection >= 0 { _ = rl_close(self.connection) }
            self.connection = -1
            return self.connect(host: host, port: port, userTimeout: 0)
        case .accept:
            let before = Self.state(self.listener)
            let fd = rl_tcp_accept(self.listener)
            guard fd >= 0 else { return self.failure(before, fd) }
            if self.connection >= 0 { _ = rl_close(self.connection) }
            self.connection = fd
            return AgentReply(stateBefore: before, outcome: .done)
        case .send(let bytes):
            let before = Self.state(self.connection)
            let written = bytes.withUnsafeBytes { rl_send(self.connection, $0.baseAddress, $0.count) }
            return self.result(before, Int(written)) { .sent($0) }
        case .receive(let capacity):
            let before = Self.state(self.connection)
            var buffer = [UInt8](repeating: 0, count: capacity)
            let count = buffer.withUnsafeMutableBytes { rl_recv(self.connection, $0.baseAddress, $0.count) }
            return self.result(before, Int(count)) { $0 == 0 ? .endOfStream : .received(Array(buffer.prefix($0))) }
        case .receiveFrames:
            let before = Self.state(self.connection)
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { rl_recv(self.connection, $0.baseAddress, $0.count) }
            return self.result(before, Int(count)) {
                $0 == 0 ? .endOfStream : .frames(LengthPrefixFraming.completeMessages(in: Array(buffer.prefix($0))))
            }
        case .shutdownWrite:
            let before = Self.state(self.connection)
            return self.result(before, Int(rl_shutdown_write(self.connection))) { _ in .done }
        case .close:
            let before = Self.state(self.connection)
            let status = rl_close(self.connection)
            self.connection = -1
            return self.result(before, Int(status)) { _ in .done }
        case .setAbortiveLinger:
            let before = Self.state(self.connection)
            return self.result(before, Int(rl_set_linger(self.connection, 1, 0))) { _ in .done }
        case .setReceiveTimeout(let milliseconds):
            let before = Self.state(self.connection)
            return self.result(before, Int(rl_set_receive_timeout(self.connection, Int32(milliseconds)))) { _ in .done }
        case .setUserTimeout(let milliseconds):
            let before = Self.state(self.connection)
            return self.result(before, Int(rl_set_user_timeout(self.connection, Int32(milliseconds)))) { _ in .done }
        case .inspect:
            return AgentReply(stateBefore: Self.state(self.connection), outcome: .inspected)
        }
    }

    private mutating func connect(host: String, port: UInt16, userTimeout: Int) -> AgentReply {
        let fd = rl_tcp_connect(host, port, 0, Int32(userTimeout))
        guard fd >= 0 else { return self.failure(nil, fd) }
        self.connection = fd
        return AgentReply(stateBefore: nil, outcome: .done)
    }

    private func result(_ before: TCPState?, _ value: Int, _ success: (Int) -> CallOutcome) -> AgentReply {
        value < 0 ? self.failure(before, Int32(value)) : AgentReply(stateBefore: before, outcome: success(value))
    }

    private func failure(_ before: TCPState?, _ negativeErrno: Int32) -> AgentReply {
        AgentReply(stateBefore: before, outcome: .failed(Self.error(negativeErrno)))
    }

    /// The socket's state before a call; `nil` when there is no socket.
    private static func state(_ fd: Int32) -> TCPState? {
        guard fd >= 0 else { return nil }
        return TCPState(rawValue: Int(rl_tcp_state(fd)))
    }

    static func error(_ negativeErrno: Int32) -> LinuxError {
        let code = -negativeErrno
        let name = rl_errno_name(code).map { String(cString: $0) } ?? "E\(code)"
        return LinuxError(code: code, name: name)
    }
}

/// Writes protocol lines to standard output unbuffered, so the runner sees each one at once.
enum AgentOutput {
    static func writeLine(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }
}
