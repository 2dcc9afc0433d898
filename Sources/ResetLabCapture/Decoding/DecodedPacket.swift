/// What a captured frame turned out to be.
public enum DecodedPacket: Sendable, Hashable {
    /// A TCP segment.
    case tcp(TCPSegment)
    /// A piece of a fragmented IP datagram (IPv4 MF or offset, IPv6 Fragment header). Reported, not
    /// reassembled.
    case ipFragment(IPFragment)
    /// Anything else that decoded fine: UDP, ICMP, ARP, an unknown link or network protocol.
    case other
    /// Headers that claim more than the frame holds, or fields that cannot be.
    case malformed(MalformedPacket)
}

/// A fragment of an IP datagram.
public struct IPFragment: Sendable, Hashable {
    public var frame: Int
    public var timestamp: Int64
    public var source: IPAddress
    public var destination: IPAddress
    /// The upper-layer protocol (6 = TCP).
    public var protocolNumber: UInt8
    /// Offset of this fragment's data in the datagram, in bytes.
    public var offset: Int
    public var moreFragments: Bool

    public init(
        frame: Int, timestamp: Int64, source: IPAddress, destination: IPAddress,
        protocolNumber: UInt8, offset: Int, moreFragments: Bool
    ) {
        self.frame = frame
        self.timestamp = timestamp
        self.source = source
        self.destination = destination
        self.protocolNumber = protocolNumber
        self.offset = offset
        self.moreFragments = moreFragments
    }
}

/// A frame whose headers do not add up.
public struct MalformedPacket: Sendable, Hashable {
    public var frame: Int
    public var problem: MalformedHeader

    public init(frame: Int, problem: MalformedHeader) {
        self.frame = frame
        self.problem = problem
    }

    /// What was wrong, e.g. "IPv4 header length 4 is below 20 bytes".
    public var reason: String { self.problem.description }
}
