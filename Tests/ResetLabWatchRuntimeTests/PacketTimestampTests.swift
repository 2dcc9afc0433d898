import CResetLabLinux
import Foundation
import Testing

/// AF_PACKET reads carry the time the kernel saw each packet, not the time it was read: the lab's packet
/// times and the gaps in its ladders stay right when its capture agent reads late. Needs root or
/// CAP_NET_RAW; under CI (as root) it runs.
@Suite struct PacketTimestampTests {
    static let enabled = getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true"

    static func realtimeNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    @Test(.enabled(if: enabled)) func aPacketReadLateKeepsTheTimeItWasSeen() throws {
        let (listener, port) = try LoopbackSocket.listening(family: AF_INET)
        defer { close(listener) }
        let capture = rl_packet_open("lo", UInt16(port))
        try #require(capture >= 0, "AF_PACKET: errno \(-capture)")
        defer { close(capture) }

        // The kernel starts stamping packets a moment after the first socket asks (the switch is made by a
        // deferred work item): on a busy machine the first handshake may still be stamped when read. Once
        // on, it stays on while the socket is open, so a later handshake must be stamped when it happened.
        var attempts: [String] = []
        for _ in 0..<5 {
            let before = Self.realtimeNanoseconds()
            let client = try LoopbackSocket.connected(family: AF_INET, port: port)
            defer { close(client.fd) }
            let after = Self.realtimeNanoseconds()
            // Read late, as a busy capture agent would.
            Thread.sleep(forTimeInterval: 0.3)
            let readStart = Self.realtimeNanoseconds()
            let stamps = Self.readAll(capture)
            // The handshake (SYN, SYN-ACK, ACK), each seen leaving and arriving on loopback.
            let onTime = stamps.count >= 3 && stamps.allSatisfy { $0 >= before - 1_000_000 && $0 <= after + 50_000_000 }
            if onTime { break }
            attempts.append("\(stamps.map { Double($0 - before) / 1e6 }) ms after the connect, read at \(Double(readStart - before) / 1e6) ms")
        }
        #expect(attempts.count < 5, "every handshake was stamped late: \(attempts)")
    }

    /// The stamps of every packet waiting on `capture`.
    static func readAll(_ capture: Int32) -> [Int64] {
        var stamps: [Int64] = []
        var buffer = [UInt8](repeating: 0, count: 2_048)
        while rl_wait_readable(capture, -1, 0) & 1 != 0 {
            var type: Int32 = 0
            var nanoseconds: Int64 = 0
            let count = buffer.withUnsafeMutableBytes {
                rl_packet_read(capture, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), $0.count, &type, &nanoseconds)
            }
            guard count > 0 else { break }
            stamps.append(nanoseconds)
        }
        return stamps
    }
}
