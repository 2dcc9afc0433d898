import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Plain loopback sockets for the CLI tests (127.0.0.1 only, ports chosen by the kernel).
enum Loopback {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// A listening socket on 127.0.0.1 and the port the kernel gave it.
    static func listen(backlog: Int32 = 64) throws -> (fd: Int32, port: Int) {
        try Self.bound(listening: backlog)
    }

    /// A port that refuses connections until `fd` is closed: bound, never listening, so no other test
    /// running alongside can take it and answer.
    static func refusing() throws -> (fd: Int32, port: Int) {
        try Self.bound(listening: nil)
    }

    /// A socket bound to 127.0.0.1:`port` (0: one the kernel picks), listening when `backlog` is given.
    private static func bound(port: Int = 0, listening backlog: Int32?) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = Self.address(port: port)
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, backlog.map({ Glibc.listen(fd, $0) == 0 }) ?? true else {
            let code = errno
            close(fd)
            throw Failure(description: "bind/listen: errno \(code)")
        }
        var actual = sockaddr_in()
        var actualLength = length
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        return (fd, Int(UInt16(bigEndian: actual.sin_port)))
    }

    /// A port that was free a moment ago, for a server a test starts later (or never).
    static func freePort() throws -> Int {
        try Self.freePorts(1)
    }

    /// The first of `count` consecutive ports that nobody accepts on and that can be bound now.
    ///
    /// They come from ``portsForTests``, which the kernel never hands out by itself, and each port is
    /// handed out once in this run: until the test binds it, no other suite's socket can be given it.
    static func freePorts(_ count: Int) throws -> Int {
        for _ in 0..<(Self.portsForTests.count / max(count, 1)) {
            let base = Self.nextPorts.take(count, from: Self.portsForTests)
            let ports = base..<(base + count)
            if ports.allSatisfy({ !Self.canConnect(port: $0) && Self.canBind(port: $0) }) { return base }
        }
        throw Failure(description: "no \(count) free consecutive ports in \(Self.portsForTests)")
    }

    /// Ports above those the packet tests forge RSTs from (1,024–21,023, `RawResets`) and below the
    /// kernel's ephemeral range (what binding port 0 and connecting get), which starts at 32,768 here.
    static let portsForTests: Range<Int> = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let ephemeralLow = text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
        return 22_000..<max(ephemeralLow, 23_000)
    }()

    /// Where the next ports are taken, from a random start: this run's suites never share one.
    private static let nextPorts = PortCursor(start: Int.random(in: Self.portsForTests))

    private final class PortCursor: @unchecked Sendable {
        private let lock = NSLock()
        private var next: Int

        init(start: Int) { self.next = start }

        /// The first of `count` consecutive ports in `range`, wrapping around at its end.
        func take(_ count: Int, from range: Range<Int>) -> Int {
            self.lock.withLock {
                if self.next + count > range.upperBound { self.next = range.lowerBound }
                defer { self.next += count }
                return self.next
            }
        }
    }

    /// Whether 127.0.0.1:`port` can be bound now.
    private static func canBind(port: Int) -> Bool {
        guard let socket = try? Self.bound(port: port, listening: nil) else { return false }
        close(socket.fd)
        return true
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = Self.address(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return connected == 0
    }
}

/// A TCP echo server on 127.0.0.1 with a thread per connection; ``stop()`` wakes and closes everything.
final class LoopbackEchoServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var connections: Set<Int32> = []
    private var stopped = false

    init() throws {
        (self.listener, self.port) = try Loopback.listen()
        Thread { [self] in self.acceptLoop() }.start()
    }

    private func acceptLoop() {
        while true {
            let fd = accept(self.listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let keep = self.lock.withLock {
                guard !self.stopped else { return false }
                self.connections.insert(fd)
                return true
            }
            guard keep else {
                close(fd)
                return
            }
            Thread { [self] in self.echo(fd) }.start()
        }
    }

    private func echo(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        loop: while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            var offset = 0
            while offset < count {
                let written = buffer[offset..<count].withUnsafeBytes {
                    send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                guard written > 0 else { break loop }
                offset += written
            }
        }
        self.lock.withLock {
            self.connections.remove(fd)
            close(fd)
        }
    }

    func stop() {
        self.lock.withLock {
            self.stopped = true
            // shutdown() wakes the threads blocked in accept() and recv(); each closes its own descriptor.
            shutdown(self.listener, Int32(SHUT_RDWR))
            for fd in self.connections { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    deinit {
        close(self.listener)
    }
}
