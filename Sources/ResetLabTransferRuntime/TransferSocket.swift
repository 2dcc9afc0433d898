#if canImport(Glibc)
import Glibc
#endif
import ResetLabSteady
import ResetLabTransfer

/// A blocking TCP socket for bulk transfer.
///
/// Blocking sockets, one thread per connection, rather than SwiftNIO: a transfer is one long stream of
/// large writes on one connection, where a thread blocked in `sendmsg`/`recv` with 1 MiB buffers moves
/// the bytes with the fewest copies and wake-ups, and keeps the code a plain loop. Every send uses
/// `MSG_NOSIGNAL`, so a reset peer is an error (`EPIPE`/`ECONNRESET`), never a SIGPIPE.
/// (sendfile(2) was measured too: it saved no CPU on loopback and stalled the stream.)
final class TransferSocket: @unchecked Sendable {
    // Sendable: one thread owns the conversation; other threads only call ``shutdown()``, which the
    // kernel allows at any time, to wake it.
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(self.descriptor)
    }

    /// Connects to `endpoint`, trying each resolved address, each within `timeout` seconds.
    /// - Throws: ``SteadyError`` (refused, unreachable, timed out, or a name that does not resolve).
    static func connect(to endpoint: SteadyAddress, timeout: Double) throws(SteadyError) -> TransferSocket {
        let addresses = try SocketAddress.resolve(endpoint, passive: false)
        var lastError = SteadyError(.unreachable, detail: "\(endpoint) resolved to no address")
        for address in addresses {
            let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw SteadyError(errno: errno, during: "socket") }
            do throws(SteadyError) {
                try Self.connect(fd, to: address, timeout: timeout, endpoint: endpoint)
                let socket = TransferSocket(descriptor: fd)
                socket.setNoDelay()
                return socket
            } catch {
                close(fd)
                lastError = error
            }
        }
        throw lastError
    }

    private static func connect(_ fd: Int32, to address: SocketAddress, timeout: Double, endpoint: SteadyAddress) throws(SteadyError) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let started = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        if started != 0 {
            guard errno == EINPROGRESS else { throw SteadyError(errno: errno, during: "connect to \(endpoint)") }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, timeout * 1000)))
            guard ready > 0 else {
                throw SteadyError(.timedOut, errno: ETIMEDOUT, detail: "connect to \(endpoint): no answer within \(timeout) s")
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            guard code == 0 else { throw SteadyError(errno: code, during: "connect to \(endpoint)") }
        }
        _ = fcntl(fd, F_SETFL, flags)
    }

    /// Disables Nagle: control frames (OFFER, ACK, DONE) go out at once.
    func setNoDelay() {
        var one: Int32 = 1
        setsockopt(self.descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sets both directions' blocking timeouts: a peer that stops answering for that long is an error.
    func setTimeouts(seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(self.descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, size)
        setsockopt(self.descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, size)
        var milliseconds = Int32(min(seconds * 1000, Double(Int32.max)))
        setsockopt(self.descriptor, Int32(IPPROTO_TCP), TCP_USER_TIMEOUT, &milliseconds, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sends `head` then `body` completely, as one `sendmsg` where the kernel takes it.
    func send(_ head: [UInt8], body: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) throws(SteadyError) {
        var headSent = 0
        var bodySent = 0
        while headSent < head.count || bodySent < body.count {
            let sent: Int = head.withUnsafeBytes { headBytes in
                var vectors = [
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: headBytes.baseAddress.map { $0 + headSent }), iov_len: head.count - headSent),
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress.map { $0 + bodySent }), iov_len: body.count - bodySent),
                ]
                return vectors.withUnsafeMutableBufferPointer { vectorBuffer in
                    var message = msghdr()
                    message.msg_iov = vectorBuffer.baseAddress
                    message.msg_iovlen = 2
                    return sendmsg(self.descriptor, &message, Int32(MSG_NOSIGNAL))
                }
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw Self.error(errno, "send")
            }
            let toHead = min(sent, head.count - headSent)
            headSent += toHead
            bodySent += sent - toHead
        }
    }

    /// Reads what is available, blocking until something is: the count, 0 at the end of the stream.
    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(SteadyError) -> Int {
        while true {
            let count = recv(self.descriptor, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw Self.error(errno, "receive")
        }
    }

    /// Reads what is available without waiting: `nil` when nothing is, 0 at the end of the stream.
    func receiveWithoutWaiting(into buffer: UnsafeMutableRawBufferPointer) throws(SteadyError) -> Int? {
        let count = recv(self.descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
        if count >= 0 { return count }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
        throw Self.error(errno, "receive")
    }

    /// Fills `buffer` completely.
    /// - Throws: ``SteadyError`` `.closed` when the stream ends first.
    func receiveExactly(into buffer: UnsafeMutableRawBufferPointer) throws(SteadyError) {
        var filled = 0
        while filled < buffer.count {
            let count = try self.receive(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            guard count > 0 else {
                throw SteadyError(.closed, detail: "the peer closed the connection in the middle of a frame")
            }
            filled += count
        }
    }

    /// Wakes any thread blocked on this socket and ends the connection both ways.
    func shutdown() {
        _ = Glibc.shutdown(self.descriptor, Int32(SHUT_RDWR))
    }

    private static func error(_ code: Int32, _ operation: String) -> SteadyError {
        if code == EAGAIN || code == EWOULDBLOCK {
            return SteadyError(.timedOut, errno: ETIMEDOUT, detail: "\(operation): the peer stopped answering")
        }
        return SteadyError(errno: code, during: operation)
    }
}
