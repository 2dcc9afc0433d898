#if canImport(Glibc)
import Glibc
#endif
import CResetLabLinux
import ResetLabSteady
import ResetLabTransfer

/// A listening TCP socket for the receiver.
final class TransferListener: @unchecked Sendable {
    // Sendable: the descriptor is immutable; accept(2) and shutdown(2) may be called from any thread.
    let descriptor: Int32
    /// The port actually bound (the kernel's choice when 0 was asked for).
    let port: UInt16

    /// Binds and listens on `endpoint` (the first address it resolves to).
    /// - Throws: ``SteadyError`` with the errno (e.g. `EADDRINUSE`) and the address in its detail.
    init(endpoint: SteadyAddress) throws(SteadyError) {
        guard let address = try SocketAddress.resolve(endpoint, passive: true).first else {
            throw SteadyError(.unreachable, detail: "\(endpoint) resolved to no address")
        }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SteadyError(errno: errno, during: "socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard address.withSockaddr({ bind(fd, $0, $1) }) == 0, listen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw SteadyError(errno: code, during: "listen on \(endpoint)")
        }
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.descriptor = fd
        self.port = withUnsafeBytes(of: bound) { raw in
            // sin_port and sin6_port sit at the same offset (2), in network byte order.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
    }

    deinit {
        close(self.descriptor)
    }

    /// Waits for the next connection.
    /// - Throws: ``SteadyError`` when the listener was shut down or accept failed for good.
    func accept() throws(SteadyError) -> TransferSocket {
        while true {
            let fd = rl_tcp_accept(self.descriptor)  // accept4 with SOCK_CLOEXEC; -errno on failure
            if fd >= 0 {
                let socket = TransferSocket(descriptor: fd)
                socket.setNoDelay()
                return socket
            }
            switch -fd {
            case EINTR, ECONNABORTED, EPROTO:
                continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                usleep(100_000)  // out of descriptors or memory: let running transfers finish, then retry
            default:
                throw SteadyError(errno: -fd, during: "accept")
            }
        }
    }
}
