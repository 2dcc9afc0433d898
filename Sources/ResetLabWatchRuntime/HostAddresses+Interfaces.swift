import Glibc
import ResetLabCapture
import ResetLabWatch

extension HostAddresses {
    /// The addresses on this host's interfaces now, and its loopback interfaces (getifaddrs); empty when
    /// they cannot be listed.
    public static func current() -> HostAddresses {
        var result = HostAddresses(addresses: [], loopbackInterfaces: [])
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return result }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor?.pointee {
            cursor = entry.ifa_next
            if entry.ifa_flags & UInt32(IFF_LOOPBACK) != 0, let name = entry.ifa_name {
                let index = if_nametoindex(name)
                if index != 0 { result.loopbackInterfaces.insert(Int32(index)) }
            }
            guard let address = entry.ifa_addr else { continue }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                let ipv4 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self).sin_addr
                result.addresses.insert(withUnsafeBytes(of: ipv4) { IPAddress(bytes: $0, at: 0, isIPv6: false) })
            case AF_INET6:
                let ipv6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self).sin6_addr
                result.addresses.insert(withUnsafeBytes(of: ipv6) { IPAddress(bytes: $0, at: 0, isIPv6: true) })
            default:
                continue
            }
        }
        return result
    }
}
