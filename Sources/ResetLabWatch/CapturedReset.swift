import ResetLabCapture

/// A TCP segment with RST set, decoded from the IP packet an AF_PACKET socket captured (cooked, so the
/// bytes start at the IP header). The decoding is the capture reader's (``PacketDecoder``, raw IP).
public struct CapturedReset: Sendable, Hashable {
    /// The RST's sequence number: with the ends, what tells one reset from another.
    public var sequence: UInt32
    /// The acknowledgement field (meaningful when ACK is set too, as in the answer to a SYN).
    public var acknowledgement: UInt32
    /// The sender of the RST.
    public var source: IPAddress
    public var destination: IPAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// All the segment's flags: RST, and ACK when it answers a segment that had none.
    public var flags: TCPFlags

    public init(
        source: IPAddress, sourcePort: UInt16, destination: IPAddress, destinationPort: UInt16,
        sequence: UInt32, acknowledgement: UInt32, flags: TCPFlags = .rst
    ) {
        self.sequence = sequence
        self.acknowledgement = acknowledgement
        self.source = source
        self.destination = destination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.flags = flags
    }

    /// Decodes an IPv4 or IPv6 packet; `nil` for anything but a complete TCP header with RST set: another
    /// protocol, a fragment, a non-RST segment, headers cut short or that do not add up.
    public init?(ipPacket bytes: UnsafeRawBufferPointer) {
        let frame = CapturedFrame(
            index: 0, timestamp: 0, linkType: .raw, bytes: bytes, originalLength: bytes.count, interface: 0,
            fileOffset: 0)
        guard case .tcp(let segment) = PacketDecoder.decode(frame), segment.flags.contains(.rst) else { return nil }
        self.init(
            source: segment.source, sourcePort: segment.sourcePort, destination: segment.destination,
            destinationPort: segment.destinationPort, sequence: segment.sequence,
            acknowledgement: segment.acknowledgement, flags: segment.flags)
    }

    /// This host's end of the connection: the source of a leaving packet, the destination of an arriving one.
    public func localAddress(_ direction: PacketDirection) -> IPAddress {
        direction == .leaving ? self.source : self.destination
    }

    /// This host's end and the other end, as the tracepoints print them.
    public func ends(_ direction: PacketDirection) -> (local: TraceEndpoint, remote: TraceEndpoint) {
        let source = TraceEndpoint(address: self.source.description, port: Int(self.sourcePort))
        let destination = TraceEndpoint(address: self.destination.description, port: Int(self.destinationPort))
        return direction == .leaving ? (source, destination) : (destination, source)
    }
}
