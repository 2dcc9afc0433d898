/// One frame as a capture file stores it. ``bytes`` points into the reader's buffer and is valid only
/// while the reader's callback runs.
public struct CapturedFrame {
    /// The frame's number in the capture, from 1.
    public var index: Int
    /// When it was captured, in nanoseconds since the Unix epoch.
    public var timestamp: Int64
    public var linkType: LinkType
    /// The captured bytes (at most the snap length).
    public var bytes: UnsafeRawBufferPointer
    /// The frame's length on the wire.
    public var originalLength: Int
    /// The pcapng interface it was captured on (0 for pcap).
    public var interface: Int
    /// Where the frame's record starts in the input, in bytes.
    public var fileOffset: Int

    public init(
        index: Int, timestamp: Int64, linkType: LinkType, bytes: UnsafeRawBufferPointer,
        originalLength: Int, interface: Int, fileOffset: Int
    ) {
        self.index = index
        self.timestamp = timestamp
        self.linkType = linkType
        self.bytes = bytes
        self.originalLength = originalLength
        self.interface = interface
        self.fileOffset = fileOffset
    }
}

/// A link-layer header type (the LINKTYPE_ registry shared by pcap and pcapng).
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    public static let null = LinkType(rawValue: 0)
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IP: version from the first nibble.
    public static let raw = LinkType(rawValue: 101)
    /// OpenBSD loopback: a 4-byte address family in network byte order.
    public static let loop = LinkType(rawValue: 108)
    public static let linuxSLL = LinkType(rawValue: 113)
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)
    public static let linuxSLL2 = LinkType(rawValue: 276)

    public var description: String {
        switch self {
        case .null: "NULL (BSD loopback)"
        case .ethernet: "Ethernet"
        case .raw: "raw IP"
        case .loop: "LOOP (OpenBSD loopback)"
        case .linuxSLL: "Linux cooked (SLL)"
        case .ipv4: "raw IPv4"
        case .ipv6: "raw IPv6"
        case .linuxSLL2: "Linux cooked v2 (SLL2)"
        default: "link type \(self.rawValue)"
        }
    }
}
