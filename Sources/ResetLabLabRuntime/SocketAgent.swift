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
        case .sendUntilFull:
            return self.sendUntilFull()
        case .setLinger2(let seconds):
            let before = Self.state(self.connection)
            let status = Self.setOption(self.connection, Int32(IPPROTO_TCP), TCP_LINGER2, Int32(seconds))
            return self.result(before, status) { _ in .done }
        case .setKeepalive(let idle, let interval, let probes):
            let before = Self.state(self.connection)
            let options: [(Int32, Int32, Int32)] = [
                (SOL_SOCKET, SO_KEEPALIVE, 1), (Int32(IPPROTO_TCP), TCP_KEEPIDLE, Int32(idle)),
                (Int32(IPPROTO_TCP), TCP_KEEPINTVL, Int32(interval)), (Int32(IPPROTO_TCP), TCP_KEEPCNT, Int32(probes)),
            ]
            let fd = self.connection
            let status = options.lazy.map { Self.setOption(fd, $0.0, $0.1, $0.2) }.first { $0 < 0 } ?? 0
            return self.result(before, status) { _ in .done }
        case .inspect:
            return AgentReply(stateBefore: Self.state(self.connection), outcome: .inspected)
        }
    }

    /// Sends filler without blocking until the kernel takes no more (EAGAIN); the total is the outcome.
    private func sendUntilFull() -> AgentReply {
        let before = Self.state(self.connection)
        let chunk = [UInt8](repeating: 0x78, count: 65_536)
        var total = 0
        while true {
            let flags = Int32(MSG_DONTWAIT | MSG_NOSIGNAL)
            let written = chunk.withUnsafeBytes { send(self.connection, $0.baseAddress, $0.count, flags) }
            if written > 0 {
                total += written
                continue
            }
            let error = errno
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK, total > 0 {
                return AgentReply(stateBefore: before, outcome: .sent(total))
            }
            return self.failure(before, -error)
        }
    }

    /// `setsockopt` with an `int` value: 0, or minus the errno.
    private static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) -> Int {
        var value = value
        let status = setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        return status == 0 ? 0 : -Int(errno)
    }

    private mutating func connect(host: String, port: UInt16, userTimeout: Int) -> AgentReply {
        let fd = rl_tcp_connect(host, port, 0, Int32(userTimeout))
        guard fd >= 0 else { return self.failure(nil, fd) }
        self.connection = fd
        // The local port tells the runner which of the kernel's events are this connection's.
        return AgentReply(stateBefore: nil, outcome: .done, port: UInt16(exactly: rl_local_port(fd)))
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
