import CResetLabLinux
import Glibc
import ResetLabLab

/// The capture side of the lab: a process that records every TCP segment to or from one port on one
/// interface (AF_PACKET), until it reads `stop`; then it prints them and exits.
///
/// Protocol, agent → runner: `ready`, or `error<TAB>NAME<TAB>code` when the packet socket cannot be opened
/// (no root or CAP_NET_RAW); after `stop`: one `p<TAB>nanoseconds<TAB>hex` line per packet, then `end`.
public struct CaptureAgent {
    public var interfaceName: String
    public var port: UInt16

    /// Linux's `PACKET_OUTGOING`: on loopback every segment is seen twice, once leaving and once arriving;
    /// keeping only the leaving copy records each exactly once.
    private static let packetOutgoing: Int32 = 4

    public init(interfaceName: String, port: UInt16) {
        self.interfaceName = interfaceName
        self.port = port
    }

    public func run() {
        _ = rl_die_with_parent()
        let fd = rl_packet_open(self.interfaceName, self.port)
        guard fd >= 0 else {
            let error = SocketAgent.error(fd)
            AgentOutput.writeLine("error\t\(error.name)\t\(error.code)")
            return
        }
        AgentOutput.writeLine("ready")
        var packets: [(Int64, [UInt8])] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        loop: while true {
            let ready = rl_wait_readable(fd, STDIN_FILENO, -1)
            if ready < 0 { break }
            if ready & 1 != 0 {
                var packetType: Int32 = 0
                var nanoseconds: Int64 = 0
                let count = buffer.withUnsafeMutableBytes {
                    rl_packet_read(fd, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), $0.count, &packetType, &nanoseconds)
                }
                if count > 0, packetType == Self.packetOutgoing {
                    let packet = Array(buffer.prefix(Int(count)))
                    if let segment = IPv4TCPParser.parse(packet),
                        segment.sourcePort == self.port || segment.destinationPort == self.port
                    {
                        // The kernel's time of each packet; the first packets after the socket opened may
                        // carry the time they were read instead (the kernel turns stamping on a moment
                        // later), so times are kept from going backwards.
                        packets.append((max(nanoseconds, packets.last?.0 ?? nanoseconds), packet))
                    }
                }
            }
            if ready & 2 != 0 {
                // `stop`, or the runner went away: either way, report and finish.
                _ = readLine()
                break loop
            }
        }
        for (nanoseconds, packet) in packets {
            AgentOutput.writeLine("p\t\(nanoseconds)\t\(Hex.encode(packet))")
        }
        AgentOutput.writeLine("end")
        _ = rl_close(fd)
    }
}
