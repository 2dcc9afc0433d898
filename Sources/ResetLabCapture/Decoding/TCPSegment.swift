/// What one captured TCP segment says, decoded from its link, IP and TCP headers. A plain value: decoding
/// allocates nothing.
public struct TCPSegment: Sendable, Hashable {
    /// The frame's number in the capture, from 1 (Wireshark's numbering).
    public var frame: Int
    /// When it was captured, in nanoseconds since the Unix epoch.
    public var timestamp: Int64
    public var source: IPAddress
    public var destination: IPAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequence: UInt32
    public var acknowledgement: UInt32
    public var flags: TCPFlags
    /// The advertised window as sent (not scaled).
    public var window: UInt16
    /// Payload bytes according to the IP header's length (the capture may hold fewer: a snap length).
    public var payloadLength: Int
    /// The IPv4 TTL or IPv6 hop limit.
    public var hopLimit: UInt8
    /// What the TCP options say (window scale, MSS, SACK permitted, timestamps).
    public var options: TCPOptions
    /// The IP datagram's length from its header (IPv4 total length; IPv6 payload length plus 40), what
    /// Zeek counts as `orig_ip_bytes` / `resp_ip_bytes`.
    public var ipLength: Int

    public init(
        frame: Int, timestamp: Int64, source: IPAddress, destination: IPAddress,
        sourcePort: UInt16, destinationPort: UInt16, sequence: UInt32, acknowledgement: UInt32,
        flags: TCPFlags, window: UInt16, payloadLength: Int, hopLimit: UInt8, options: TCPOptions = TCPOptions(),
        ipLength: Int = 0
    ) {
        self.frame = frame
        self.timestamp = timestamp
        self.source = source
        self.destination = destination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequence = sequence
        self.acknowledgement = acknowledgement
        self.flags = flags
        self.window = window
        self.payloadLength = payloadLength
        self.hopLimit = hopLimit
        self.options = options
        self.ipLength = ipLength
    }

    /// A segment with every field zero, to be filled in place by ``PacketDecoder/decode(_:into:)``.
    public static let empty = TCPSegment(
        frame: 0, timestamp: 0, source: IPAddress(ipv4: 0), destination: IPAddress(ipv4: 0), sourcePort: 0,
        destinationPort: 0, sequence: 0, acknowledgement: 0, flags: [], window: 0, payloadLength: 0, hopLimit: 0)

    /// Sequence space the segment occupies: its payload, plus one for SYN and one for FIN.
    public var sequenceLength: UInt32 {
        UInt32(truncatingIfNeeded: self.payloadLength)
            &+ (self.flags.contains(.syn) ? 1 : 0) &+ (self.flags.contains(.fin) ? 1 : 0)
    }
}

/// The TCP options ResetLab reads. Absent options are `nil`.
public struct TCPOptions: Sendable, Hashable {
    public var maximumSegmentSize: UInt16?
    public var windowScale: UInt8?
    public var sackPermitted: Bool
    /// The timestamp option's value and echo reply.
    public var timestampValue: UInt32?
    public var timestampEcho: UInt32?

    public init(
        maximumSegmentSize: UInt16? = nil, windowScale: UInt8? = nil, sackPermitted: Bool = false,
        timestampValue: UInt32? = nil, timestampEcho: UInt32? = nil
    ) {
        self.maximumSegmentSize = maximumSegmentSize
        self.windowScale = windowScale
        self.sackPermitted = sackPermitted
        self.timestampValue = timestampValue
        self.timestampEcho = timestampEcho
    }
}
