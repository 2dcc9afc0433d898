import CResetLabLinux
import Foundation

/// What one blocking `recv` gave.
enum ReadOutcome: Equatable, Sendable, CustomStringConvertible {
    case data([UInt8])
    /// FIN: `recv` returned 0.
    case endOfStream
    /// `recv` failed with this errno (`EAGAIN` when the receive timeout expired).
    case failed(Int32)

    static let timedOut = ReadOutcome.failed(EAGAIN)

    var description: String {
        switch self {
        case .data(let bytes): return "\(bytes.count) bytes"
        case .endOfStream: return "end of stream"
        case .failed(let code): return Errno.name(code)
        }
    }
}

/// A socket call that failed, with its errno.
struct SocketError: Error, CustomStringConvertible {
    var operation: String
    var code: Int32

    /// `code` 0 stands for an end of stream that came too early.
    var description: String { "\(self.operation): \(self.code == 0 ? "end of stream" : Errno.name(self.code))" }
}

enum Errno {
    static func name(_ code: Int32) -> String {
        rl_errno_name(code).map { String(cString: $0) } ?? "errno \(code)"
    }
}

/// A blocking TCP socket on 127.0.0.1 over the C shim. Closing is idempotent and thread-safe, so a
/// teardown can close what a test left open without racing descriptor reuse.
final class TestSocket: Sendable {
    let fd: Int32
    private let closed = Locked(false)

    init(fd: Int32) {
        self.fd = fd
    }

    /// Connects to 127.0.0.1:`port`. `synRetries` > 0 bounds the wait for a SYN that is never answered.
    static func connect(port: Int, synRetries: Int32 = 0) throws -> TestSocket {
        guard let port = UInt16(exactly: port) else { throw SocketError(operation: "connect", code: EINVAL) }
        let fd = rl_tcp_connect("127.0.0.1", port, synRetries, 0)
        guard fd >= 0 else { throw SocketError(operation: "connect to port \(port)", code: -fd) }
        return TestSocket(fd: fd)
    }

    /// The errno of a failed connect, or `nil` (and the socket closed again) when it succeeded.
    static func connectError(port: Int, synRetries: Int32 = 0) -> Int32? {
        do {
            try TestSocket.connect(port: port, synRetries: synRetries).close()
            return nil
        } catch let error as SocketError {
            return error.code
        } catch {
            return EINVAL
        }
    }

    /// Sends every byte (blocking).
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { rl_send(self.fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw SocketError(operation: "send", code: Int32(-written)) }
            offset += written
        }
    }

    func send(_ text: String) throws {
        try self.send(Array(text.utf8))
    }

    /// One `send`: bytes written, or -errno.
    func sendOnce(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { rl_send(self.fd, $0.baseAddress, $0.count) }
    }

    /// One `recv` waiting at most `timeout` ms.
    func receive(maximum: Int = 65_536, timeout: Int) -> ReadOutcome {
        _ = rl_set_receive_timeout(self.fd, Int32(max(1, timeout)))
        var buffer = [UInt8](repeating: 0, count: maximum)
        let count = buffer.withUnsafeMutableBytes { rl_recv(self.fd, $0.baseAddress, $0.count) }
        if count > 0 { return .data(Array(buffer.prefix(count))) }
        return count == 0 ? .endOfStream : .failed(Int32(-count))
    }

    /// Exactly `count` bytes within `timeout` ms in total.
    func receive(exactly count: Int, timeout: Int) throws -> [UInt8] {
        let watch = Stopwatch()
        var received: [UInt8] = []
        while received.count < count {
            let remaining = Int64(timeout) - watch.milliseconds
            guard remaining > 0 else { throw SocketError(operation: "receive \(count) bytes", code: EAGAIN) }
            switch self.receive(maximum: count - received.count, timeout: Int(remaining)) {
            case .data(let bytes): received += bytes
            case .endOfStream:
                throw SocketError(operation: "receive \(count) bytes, got \(received.count)", code: 0)
            case .failed(let code): throw SocketError(operation: "receive \(count) bytes", code: code)
            }
        }
        return received
    }

    /// Everything until the stream ends, fails, or `timeout` ms pass; `end` says which (`.timedOut`).
    func readToEnd(timeout: Int) -> (bytes: [UInt8], end: ReadOutcome) {
        let watch = Stopwatch()
        var received: [UInt8] = []
        while true {
            let remaining = Int64(timeout) - watch.milliseconds
            guard remaining > 0 else { return (received, .timedOut) }
            let outcome = self.receive(timeout: Int(remaining))
            guard case .data(let bytes) = outcome else { return (received, outcome) }
            received += bytes
        }
    }

    /// One request, one answer of the same length (an echo round trip).
    func roundTrip(_ text: String, timeout: Int = 5_000) throws -> String {
        try self.send(text)
        return String(decoding: try self.receive(exactly: text.utf8.count, timeout: timeout), as: UTF8.self)
    }

    func shutdownWrite() throws {
        let status = rl_shutdown_write(self.fd)
        guard status == 0 else { throw SocketError(operation: "shutdown(SHUT_WR)", code: -status) }
    }

    /// The TCP state from TCP_INFO (1 = ESTABLISHED, 7 = CLOSE, 8 = CLOSE_WAIT).
    var tcpState: Int32 {
        rl_tcp_state(self.fd)
    }

    /// Wakes any thread blocked on the socket (shutdown both ways), unless it is already closed.
    func interrupt() {
        self.closed.withLock { closed in
            if !closed { _ = shutdown(self.fd, Int32(SHUT_RDWR)) }
        }
    }

    func close() {
        self.closed.withLock { closed in
            if !closed { _ = rl_close(self.fd) }
            closed = true
        }
    }
}

/// TCP states from include/net/tcp_states.h.
enum TCPState {
    static let established: Int32 = 1
    static let close: Int32 = 7
}

/// A loopback port that refuses connections for as long as this value lives: a socket is bound to it
/// and never listens, so no other test running alongside can take the port and answer in its place.
final class RefusingPort: Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(operation: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            _ = rl_close(fd)
            throw SocketError(operation: "bind", code: code)
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { _ = rl_close(self.fd) }
}

/// A deterministic byte pattern: byte `i` of stream `seed`.
func patternByte(_ index: Int, seed: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: (index &* 31) ^ (index >> 8) ^ seed)
}

func pattern(count: Int, seed: Int, from start: Int = 0) -> [UInt8] {
    (start..<start + count).map { patternByte($0, seed: seed) }
}
