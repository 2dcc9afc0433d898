import ResetLabCapture

/// One TCP segment seen on the wire during a scenario.
public struct LabPacket: Sendable, Hashable {
    /// Which side sent it (judged by the server's port; a forged RST "from the server" is still `.server`).
    public var from: LabActor
    public var flags: TCPFlags
    public var sequenceNumber: UInt32
    public var acknowledgmentNumber: UInt32
    /// TCP payload bytes.
    public var payloadLength: Int
    public var timeToLive: UInt8
    /// Capture time, nanoseconds since the epoch.
    public var timestampNanoseconds: Int64
    /// The whole IP packet, for pcap files.
    public var ipPacket: [UInt8]

    public init(
        from: LabActor,
        flags: TCPFlags,
        sequenceNumber: UInt32,
        acknowledgmentNumber: UInt32,
        payloadLength: Int,
        timeToLive: UInt8,
        timestampNanoseconds: Int64,
        ipPacket: [UInt8]
    ) {
        self.from = from
        self.flags = flags
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.payloadLength = payloadLength
        self.timeToLive = timeToLive
        self.timestampNanoseconds = timestampNanoseconds
        self.ipPacket = ipPacket
    }

    /// Whether the segment is only an acknowledgement (no SYN, FIN, RST or data).
    public var isPureAcknowledgment: Bool {
        self.payloadLength == 0 && self.flags.subtracting([.ack, .psh]).isEmpty
    }

    /// The compact token for pattern lines: flags, then the payload size when there is one (`PA5`, `FA`, `R`).
    public var token: String {
        self.flags.letters + (self.payloadLength > 0 ? String(self.payloadLength) : "")
    }
}

/// Reads IPv4 + TCP headers from raw packets.
public enum IPv4TCPParser {
    /// The parsed fields of one TCP-over-IPv4 packet.
    public struct Segment: Sendable, Hashable {
        public var sourcePort: UInt16
        public var destinationPort: UInt16
        public var flags: TCPFlags
        public var sequenceNumber: UInt32
        public var acknowledgmentNumber: UInt32
        public var payloadLength: Int
        public var timeToLive: UInt8
    }

    /// Parses a packet that starts at the IPv4 header. Returns `nil` for anything that is not a whole,
    /// unfragmented TCP segment over IPv4.
    public static func parse(_ packet: [UInt8]) -> Segment? {
        guard packet.count >= 20, packet[0] >> 4 == 4 else { return nil }
        let headerLength = Int(packet[0] & 0x0F) * 4  // IHL, in 32-bit words
        let totalLength = Int(packet[2]) << 8 | Int(packet[3])
        let protocolNumber = packet[9]  // 6 = TCP
        let fragmentOffset = (Int(packet[6]) << 8 | Int(packet[7])) & 0x1FFF
        guard headerLength >= 20, protocolNumber == 6, fragmentOffset == 0,
            totalLength <= packet.count, totalLength >= headerLength + 20
        else { return nil }
        let tcp = headerLength
        let dataOffset = Int(packet[tcp + 12] >> 4) * 4  // TCP header length
        guard dataOffset >= 20, tcp + dataOffset <= totalLength else { return nil }
        func u16(_ at: Int) -> UInt16 { UInt16(packet[at]) << 8 | UInt16(packet[at + 1]) }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) << 16 | UInt32(u16(at + 2)) }
        return Segment(
            sourcePort: u16(tcp),
            destinationPort: u16(tcp + 2),
            flags: TCPFlags(rawValue: packet[tcp + 13] & 0x3F),
            sequenceNumber: u32(tcp + 4),
            acknowledgmentNumber: u32(tcp + 8),
            payloadLength: totalLength - tcp - dataOffset,
            timeToLive: packet[8]
        )
    }
}
