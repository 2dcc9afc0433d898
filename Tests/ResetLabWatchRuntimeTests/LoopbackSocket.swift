import Foundation

/// TCP sockets on 127.0.0.1 or ::1.
enum LoopbackSocket {
    /// A socket listening on a free loopback port.
    static func listening(family: Int32, backlog: Int32 = 8) throws -> (fd: Int32, port: Int) {
        let (fd, port) = try Self.bound(family: family)
        guard listen(fd, backlog) == 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EADDRINUSE)
        }
        return (fd, port)
    }

    /// A socket bound to a free loopback port, not listening: a connect to it is refused.
    static func bound(family: Int32) throws -> (fd: Int32, port: Int) {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.address(family: family, port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, Self.length(family)) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, bound else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        return (fd, Self.port(of: address))
    }

    /// Connects to `port` and closes again; returns the local port used and the errno.
    static func connect(family: Int32, port: Int) -> (localPort: Int, error: Int32) {
        let (fd, localPort, error) = Self.open(family: family, port: port)
        close(fd)
        return (localPort, error)
    }

    /// A socket connected to `port` (a listener's), and its local port.
    static func connected(family: Int32, port: Int) throws -> (fd: Int32, port: Int) {
        let (fd, localPort, error) = Self.open(family: family, port: port)
        guard error == 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: error) ?? .ECONNREFUSED)
        }
        return (fd, localPort)
    }

    private static func open(family: Int32, port: Int) -> (fd: Int32, localPort: Int, error: Int32) {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.address(family: family, port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, Self.length(family)) }
        }
        let error = result == 0 ? 0 : errno
        var local = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Self.port(of: local), error)
    }

    private static func address(family: Int32, port: Int) -> sockaddr_storage {
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { raw in
            if family == AF_INET6 {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = UInt16(port).bigEndian
                address.sin6_addr = in6addr_loopback
                raw.storeBytes(of: address, as: sockaddr_in6.self)
            } else {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = UInt16(port).bigEndian
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                raw.storeBytes(of: address, as: sockaddr_in.self)
            }
        }
        return storage
    }

    private static func length(_ family: Int32) -> socklen_t {
        socklen_t(family == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
    }

    /// The port of a sockaddr_in or sockaddr_in6 (at the same offset in both).
    private static func port(of storage: sockaddr_storage) -> Int {
        withUnsafeBytes(of: storage) { Int(UInt16($0[2]) << 8 | UInt16($0[3])) }
    }
}
