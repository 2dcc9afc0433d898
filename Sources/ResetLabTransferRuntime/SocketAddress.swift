#if canImport(Glibc)
import Glibc
#endif
import ResetLabSteady
import ResetLabTransfer

/// A resolved IPv4 or IPv6 socket address.
struct SocketAddress {
    let family: Int32
    private let storage: sockaddr_storage
    private let length: socklen_t

    /// Resolves `endpoint` with getaddrinfo (numeric addresses and names alike).
    /// - Parameter passive: for a listener (an empty or `*`/`0.0.0.0` host means every address).
    /// - Throws: ``SteadyError`` `.unreachable` naming the host when it does not resolve.
    static func resolve(_ endpoint: SteadyAddress, passive: Bool) throws(SteadyError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = passive ? AI_PASSIVE : AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let host = endpoint.host == "*" ? nil : endpoint.host
        let status = getaddrinfo(host, String(endpoint.port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            throw SteadyError(.unreachable, detail: "cannot resolve '\(endpoint.host)': \(reason)")
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr, entry.pointee.ai_addrlen <= MemoryLayout<sockaddr_storage>.size {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(entry.pointee.ai_addrlen)))
                }
                addresses.append(SocketAddress(family: entry.pointee.ai_family, storage: storage, length: entry.pointee.ai_addrlen))
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafePointer(to: self.storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, self.length) }
        }
    }
}
