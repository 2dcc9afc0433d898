import CResetLabLinux
import ResetLabProbe

#if canImport(Glibc)
import Glibc
#endif

/// Watches the TCP segments arriving from the endpoint's port over IPv4 or IPv6 (AF_PACKET, root or
/// CAP_NET_RAW only), so that a RST can be compared with the server's SYN-ACK: a RST with another TTL (or
/// IPv6 hop limit) was most likely forged by a device in between (a firewall, an antivirus, a load
/// balancer).
final class PeerPacketWatch {
    private let fd: Int32

    /// Opens the watch, or says why it cannot.
    static func open(port: Int) -> Result<PeerPacketWatch, NameFailure> {
        let fd = rl_packet_open_from_port(UInt16(port))
        guard fd >= 0 else {
            let code = -fd
            let reason = code == EPERM || code == EACCES
                ? "packet capture needs root or CAP_NET_RAW"
                : "packet capture failed: \(String(cString: strerror(code)))"
            return .failure(NameFailure(reason: reason))
        }
        return .success(PeerPacketWatch(fd: fd))
    }

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        Glibc.close(self.fd)
    }

    /// Every segment captured so far.
    func drain() -> [ResetOrigin.Segment] {
        var segments: [ResetOrigin.Segment] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            var type: Int32 = 0
            var nanoseconds: Int64 = 0
            let count = buffer.withUnsafeMutableBytes {
                rl_packet_read(self.fd, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), $0.count, &type, &nanoseconds)
            }
            guard count > 0 else { break }
            if let segment = ResetOrigin.Segment(ipPacket: buffer.prefix(count)) { segments.append(segment) }
        }
        return segments
    }

}
