import CResetLabTLS
import ResetLabProbe

#if canImport(Glibc)
import Glibc
#endif

/// One address a name resolved to, ready to connect to.
public struct ProbeAddress: Sendable, Hashable, CustomStringConvertible {
    public var family: Int32
    /// The `sockaddr_in` or `sockaddr_in6` bytes, port included.
    var storage: [UInt8]
    /// `192.0.2.1` or `2001:db8::1`.
    public var text: String

    public var description: String { self.family == AF_INET6 ? "[\(self.text)]" : self.text }
}

/// A TCP connection the probe talks over, blocking, every call bounded by a timeout: lines and replies
/// for SMTP and FTP, raw bytes for HTTP and transfers, TLS on demand. Every failure comes back as the
/// ``Breakage`` the peer caused: RST, FIN, silence.
final class ProbeSocket {
    let fd: Int32
    let peer: ProbeAddress
    private var tls: OpaquePointer?
    private var pending: [UInt8] = []
    private var parser = ServerReplyParser()
    /// Bytes received and sent so far (payload, after TLS).
    private(set) var received = 0
    private(set) var sent = 0

    private init(fd: Int32, peer: ProbeAddress) {
        self.fd = fd
        self.peer = peer
        var on: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Adopts a connection the server opened to us (FTP active mode).
    convenience init(accepted fd: Int32) {
        self.init(fd: fd, peer: ProbeAddress(family: AF_INET, storage: [], text: "data connection"))
    }

    deinit {
        self.close()
    }

    /// Connects within `timeout` seconds: refused (RST to the SYN), timed out (filtered) or unreachable.
    static func connect(to address: ProbeAddress, port: Int, timeout: Double) -> Result<ProbeSocket, Breakage> {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(.unreachable("socket(): \(String(cString: strerror(errno)))")) }
        var storage = address.storage
        Self.setPort(port, in: &storage)
        let result = storage.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress else { return -1 }
            return Glibc.connect(fd, base.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if result != 0 && errno != EINPROGRESS {
            let code = errno
            Glibc.close(fd)
            return .failure(Self.connectBreakage(code))
        }
        if result != 0 {
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&descriptor, 1, Int32(max(1, timeout * 1000)))
            if ready == 0 {
                Glibc.close(fd)
                return .failure(.connectTimedOut)
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            if code != 0 {
                Glibc.close(fd)
                return .failure(Self.connectBreakage(code))
            }
        }
        // Blocking from here on; reads are bounded with poll, TLS with SO_RCVTIMEO.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var peer = address
        Self.setPort(port, in: &peer.storage)
        return .success(ProbeSocket(fd: fd, peer: peer))
    }

    private static func connectBreakage(_ code: Int32) -> Breakage {
        switch code {
        case ECONNREFUSED: .refused
        case ETIMEDOUT: .connectTimedOut
        case ECONNRESET: .reset
        default: .unreachable("\(String(cString: strerror(code))) (errno \(code))")
        }
    }

    /// Writes `port` into a `sockaddr_in` or `sockaddr_in6`: both keep it right after the 2-byte family,
    /// in network order.
    static func setPort(_ port: Int, in storage: inout [UInt8]) {
        guard storage.count >= 4 else { return }
        storage[2] = UInt8(port >> 8 & 0xff)
        storage[3] = UInt8(port & 0xff)
    }

    /// The local end: address text and port.
    var localEndpoint: (address: String, port: Int) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(self.fd, $0, &length) }
        }
        return Self.text(of: &storage)
    }

    static func text(of storage: inout sockaddr_storage) -> (address: String, port: Int) {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        if Int32(storage.ss_family) == AF_INET6 {
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var raw = address.pointee.sin6_addr
                    inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
                    return (String(nulTerminated: buffer), Int(UInt16(bigEndian: address.pointee.sin6_port)))
                }
            }
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                var raw = address.pointee.sin_addr
                inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count))
                return (String(nulTerminated: buffer), Int(UInt16(bigEndian: address.pointee.sin_port)))
            }
        }
    }

    // MARK: - Writing

    /// Sends every byte; a failure says how the peer broke the connection.
    func send(_ bytes: [UInt8]) -> Breakage? {
        if let tls = self.tls {
            let result = bytes.withUnsafeBytes { rl_tls_write(tls, $0.baseAddress, $0.count) }
            if result < 0 { return Self.breakage(errno: Int32(-result)) }
            self.sent += bytes.count
            return nil
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.send(self.fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return Self.breakage(errno: errno)
            }
            offset += written
        }
        self.sent += bytes.count
        return nil
    }

    /// Sends `line` and CR LF.
    func send(line: String) -> Breakage? {
        self.send(Array((line + "\r\n").utf8))
    }

    // MARK: - Reading

    /// Up to `capacity` bytes within `timeout` seconds; `.closed` for FIN, `.reset` for RST.
    func read(capacity: Int = 65_536, timeout: Double) -> Result<[UInt8], Breakage> {
        if !self.pending.isEmpty {
            let chunk = Array(self.pending.prefix(capacity))
            self.pending.removeFirst(chunk.count)
            return .success(chunk)
        }
        var buffer = [UInt8](repeating: 0, count: capacity)
        let count: Int
        if let tls = self.tls {
            self.setReceiveTimeout(timeout)
            let result = buffer.withUnsafeMutableBytes { rl_tls_read(tls, $0.baseAddress, $0.count) }
            if result == -Int(EAGAIN) || result == -Int(EWOULDBLOCK) { return .failure(.timedOut) }
            if result < 0 { return .failure(result == -10000 ? .tlsFailed("TLS protocol error") : Self.breakage(errno: Int32(-result))) }
            count = result
        } else {
            var descriptor = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(max(1, timeout * 1000)))
            if ready == 0 { return .failure(.timedOut) }
            let result = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
            if result < 0 { return .failure(Self.breakage(errno: errno)) }
            count = result
        }
        if count == 0 { return .failure(.closed) }
        self.received += count
        return .success(Array(buffer[..<count]))
    }

    /// One line (without CR LF) within `timeout` seconds.
    func readLine(timeout: Double) -> Result<String, Breakage> {
        let deadline = Clock.now + timeout
        while true {
            if let newline = self.pending.firstIndex(of: 0x0a) {
                var line = Array(self.pending[..<newline])
                self.pending.removeFirst(newline + 1)
                if line.last == 0x0d { line.removeLast() }
                return .success(String(decoding: line, as: UTF8.self))
            }
            let left = deadline - Clock.now
            guard left > 0 else { return .failure(.timedOut) }
            switch self.readMore(timeout: left) {
            case .failure(let breakage): return .failure(breakage)
            case .success: continue
            }
        }
    }

    /// One SMTP/FTP reply (all its lines) within `timeout` seconds.
    func readReply(timeout: Double) -> Result<ServerReply, Breakage> {
        let deadline = Clock.now + timeout
        while true {
            switch self.readLine(timeout: max(0.001, deadline - Clock.now)) {
            case .failure(let breakage): return .failure(breakage)
            case .success(let line):
                do {
                    if let reply = try self.parser.feed(line) { return .success(reply) }
                } catch {
                    return .failure(.errorReply(code: 0, text: "\(error)"))
                }
            }
        }
    }

    /// Sends a command and reads its reply.
    func command(_ line: String, timeout: Double) -> Result<ServerReply, Breakage> {
        if let breakage = self.send(line: line) { return .failure(breakage) }
        return self.readReply(timeout: timeout)
    }

    private func readMore(timeout: Double) -> Result<Void, Breakage> {
        switch self.read(timeout: timeout) {
        case .failure(let breakage): return .failure(breakage)
        case .success(let bytes):
            self.pending += bytes
            return .success(())
        }
    }

    /// Waits until the peer ends the connection or `timeout` passes, discarding anything it sends first.
    /// Returns how it ended (FIN or RST), or `nil` when it was still open at the deadline.
    func waitForEnd(timeout: Double) -> Breakage? {
        let deadline = Clock.now + timeout
        while true {
            let left = deadline - Clock.now
            guard left > 0 else { return nil }
            switch self.read(timeout: left) {
            case .success: continue
            case .failure(.timedOut): return nil
            case .failure(let breakage): return breakage
            }
        }
    }

    // MARK: - TLS

    /// Starts TLS on this connection (implicit TLS, STARTTLS, AUTH TLS) and reports what it negotiated.
    func startTLS(serverName: String, timeout: Double) -> TLSFacts {
        self.setReceiveTimeout(timeout)
        self.setSendTimeout(timeout)
        var error = [CChar](repeating: 0, count: 512)
        guard let tls = rl_tls_connect(self.fd, serverName, &error, error.count) else {
            return TLSFacts(handshakeFailure: String(nulTerminated: error))
        }
        self.tls = tls
        var subject = [CChar](repeating: 0, count: 1024)
        var issuer = [CChar](repeating: 0, count: 1024)
        var reason = [CChar](repeating: 0, count: 256)
        let hasSubject = rl_tls_subject(tls, &subject, subject.count) != 0
        let hasIssuer = rl_tls_issuer(tls, &issuer, issuer.count) != 0
        let trusted = rl_tls_trusted(tls, &reason, reason.count) != 0
        let notAfter = rl_tls_not_after(tls)
        return TLSFacts(
            protocolVersion: String(cString: rl_tls_protocol(tls)), cipher: String(cString: rl_tls_cipher(tls)),
            subject: hasSubject ? String(nulTerminated: subject) : nil, issuer: hasIssuer ? String(nulTerminated: issuer) : nil,
            notAfter: notAfter > 0 ? Int64(notAfter) : nil, trusted: trusted,
            untrustedReason: trusted ? nil : String(nulTerminated: reason), nameMatches: rl_tls_matches_host(tls, serverName) != 0)
    }

    private func setReceiveTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        if value.tv_sec == 0 && value.tv_usec == 0 { value.tv_usec = 1000 }
        _ = setsockopt(self.fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    private func setSendTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        _ = setsockopt(self.fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    // MARK: - Options and closing

    /// Turns on TCP keepalive: the first probe after `idle` seconds of silence, then every `interval`
    /// seconds, `count` probes before the kernel gives up with ETIMEDOUT.
    func keepAlive(idle: Double, interval: Double, count: Int32) {
        var on: Int32 = 1
        var idleSeconds = Int32(max(1, idle.rounded()))
        var intervalSeconds = Int32(max(1, interval.rounded()))
        var probes = count
        let size = socklen_t(MemoryLayout<Int32>.size)
        _ = setsockopt(self.fd, SOL_SOCKET, SO_KEEPALIVE, &on, size)
        _ = setsockopt(self.fd, Int32(IPPROTO_TCP), TCP_KEEPIDLE, &idleSeconds, size)
        _ = setsockopt(self.fd, Int32(IPPROTO_TCP), TCP_KEEPINTVL, &intervalSeconds, size)
        _ = setsockopt(self.fd, Int32(IPPROTO_TCP), TCP_KEEPCNT, &probes, size)
    }

    private var closed = false

    func close() {
        guard !self.closed else { return }
        self.closed = true
        if let tls = self.tls { rl_tls_free(tls) }
        self.tls = nil
        Glibc.close(self.fd)
    }

    static func breakage(errno code: Int32) -> Breakage {
        switch code {
        case ECONNRESET: .reset
        case EPIPE: .reset
        case ETIMEDOUT: .timedOut
        case EAGAIN: .timedOut
        case ECONNREFUSED: .refused
        case EHOSTUNREACH, ENETUNREACH: .unreachable(String(cString: strerror(code)))
        default: .unreachable("\(String(cString: strerror(code))) (errno \(code))")
        }
    }
}

/// Monotonic seconds.
enum Clock {
    static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

extension String {
    /// The text of a C buffer up to its first NUL.
    init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
