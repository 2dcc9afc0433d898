import ResetLabCapture

@testable import ResetLabLab

/// Builds real IPv4 + TCP packets (with correct checksums) for the tests.
enum TestPackets {
    static let clientAddress: [UInt8] = [127, 0, 0, 1]
    static let serverAddress: [UInt8] = [127, 0, 0, 1]
    static let clientPort: UInt16 = 40_000
    static let serverPort: UInt16 = 47_001

    /// A whole IPv4 packet carrying one TCP segment.
    static func ipv4TCP(
        sourcePort: UInt16,
        destinationPort: UInt16,
        flags: TCPFlags,
        sequenceNumber: UInt32,
        acknowledgmentNumber: UInt32,
        payload: [UInt8] = [],
        timeToLive: UInt8 = 64,
        protocolNumber: UInt8 = 6,
        fragmentOffset: UInt16 = 0,
        source: [UInt8] = Self.clientAddress,
        destination: [UInt8] = Self.serverAddress
    ) -> [UInt8] {
        var tcp: [UInt8] = []
        tcp += Self.bigEndian(sourcePort) + Self.bigEndian(destinationPort)
        tcp += Self.bigEndian(sequenceNumber) + Self.bigEndian(acknowledgmentNumber)
        tcp += [5 << 4, flags.rawValue]  // data offset 5 words, flags
        tcp += Self.bigEndian(UInt16(65_495)) + [0, 0] + [0, 0]  // window, checksum, urgent pointer
        tcp += payload
        var pseudo = source + destination + [0, 6] + Self.bigEndian(UInt16(tcp.count))
        pseudo += tcp
        let tcpChecksum = Self.checksum(pseudo)
        tcp[16] = UInt8(tcpChecksum >> 8)
        tcp[17] = UInt8(tcpChecksum & 0xFF)

        let totalLength = UInt16(20 + tcp.count)
        var ip: [UInt8] = [0x45, 0]  // version 4, IHL 5; DSCP/ECN
        ip += Self.bigEndian(totalLength)
        ip += [0x12, 0x34]  // identification
        ip += Self.bigEndian(UInt16(0x4000) | fragmentOffset)  // DF, fragment offset
        ip += [timeToLive, protocolNumber, 0, 0]  // TTL, protocol, checksum
        ip += source + destination
        let ipChecksum = Self.checksum(ip)
        ip[10] = UInt8(ipChecksum >> 8)
        ip[11] = UInt8(ipChecksum & 0xFF)
        return ip + tcp
    }

    /// A captured segment between the test client and server.
    static func packet(
        _ from: LabActor,
        _ flags: TCPFlags,
        seq: UInt32,
        ack: UInt32 = 0,
        payload: [UInt8] = [],
        ttl: UInt8 = 64,
        at nanoseconds: Int64
    ) -> LabPacket {
        let fromClient = from == .client
        let bytes = Self.ipv4TCP(
            sourcePort: fromClient ? Self.clientPort : Self.serverPort,
            destinationPort: fromClient ? Self.serverPort : Self.clientPort,
            flags: flags,
            sequenceNumber: seq,
            acknowledgmentNumber: ack,
            payload: payload,
            timeToLive: ttl
        )
        return LabPacket(
            from: from,
            flags: flags,
            sequenceNumber: seq,
            acknowledgmentNumber: ack,
            payloadLength: payload.count,
            timeToLive: ttl,
            timestampNanoseconds: nanoseconds,
            ipPacket: bytes
        )
    }

    static func bigEndian(_ value: UInt16) -> [UInt8] {
        [UInt8(value >> 8), UInt8(value & 0xFF)]
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        Self.bigEndian(UInt16(value >> 16)) + Self.bigEndian(UInt16(value & 0xFFFF))
    }

    /// The Internet checksum (RFC 1071).
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count {
            sum += UInt32(bytes[index]) << 8
        }
        while sum > 0xFFFF {
            sum = (sum & 0xFFFF) + (sum >> 16)
        }
        return ~UInt16(sum)
    }
}
