import ResetLabProbe

#if canImport(Glibc)
import Glibc
#endif

/// Name resolution through the system resolver (getaddrinfo), as applications do it: every A and AAAA
/// answer, in the order the system prefers.
enum Resolver {
    /// The addresses `host` resolves to, or why it did not resolve.
    static func resolve(_ host: String) -> Result<[ProbeAddress], NameFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            return .failure(NameFailure(reason: "\(reason) (getaddrinfo \(Self.name(of: status)))"))
        }
        defer { freeaddrinfo(first) }
        var addresses: [ProbeAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr, entry.pointee.ai_family == AF_INET || entry.pointee.ai_family == AF_INET6 {
                let length = Int(entry.pointee.ai_addrlen)
                let bytes = [UInt8](UnsafeRawBufferPointer(start: address, count: length))
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: bytes) }
                let text = ProbeSocket.text(of: &storage).address
                let probeAddress = ProbeAddress(family: entry.pointee.ai_family, storage: bytes, text: text)
                if !addresses.contains(probeAddress) { addresses.append(probeAddress) }
            }
            cursor = entry.pointee.ai_next
        }
        return addresses.isEmpty ? .failure(NameFailure(reason: "no IPv4 or IPv6 address")) : .success(addresses)
    }

    private static func name(of status: Int32) -> String {
        switch status {
        case EAI_NONAME: "EAI_NONAME"
        case EAI_AGAIN: "EAI_AGAIN"
        case EAI_FAIL: "EAI_FAIL"
        case EAI_SYSTEM: "EAI_SYSTEM"
        default: "error \(status)"
        }
    }
}

/// Why a name did not resolve, in the resolver's words.
struct NameFailure: Error {
    var reason: String
}

/// A listening socket for FTP active mode (PORT, EPRT): the server connects to it.
final class ProbeListener {
    let fd: Int32
    let port: Int

    /// Listens on `address` (the control connection's local address), port chosen by the kernel.
    init?(address: String) {
        let family = address.contains(":") ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var storage = sockaddr_storage()
        var length: socklen_t
        if family == AF_INET6 {
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    pointer.pointee.sin6_family = sa_family_t(AF_INET6)
                    _ = inet_pton(AF_INET6, address, &pointer.pointee.sin6_addr)
                }
            }
        } else {
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    pointer.pointee.sin_family = sa_family_t(AF_INET)
                    _ = inet_pton(AF_INET, address, &pointer.pointee.sin_addr)
                }
            }
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 4) == 0 else {
            Glibc.close(fd)
            return nil
        }
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = ProbeSocket.text(of: &storage).port
    }

    /// The server's data connection, if it comes within `timeout` seconds.
    func accept(timeout: Double) -> Int32? {
        var descriptor = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(max(1, timeout * 1000))) > 0 else { return nil }
        let connection = Glibc.accept(self.fd, nil, nil)
        return connection >= 0 ? connection : nil
    }

    deinit {
        Glibc.close(self.fd)
    }
}
