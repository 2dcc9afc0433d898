/// One packet of a connection as a ladder diagram shows it.
public struct PacketSummary: Sendable, Hashable {
    public var frame: Int
    public var timestamp: Int64
    public var source: Endpoint
    public var flags: TCPFlags
    public var sequence: UInt32
    public var acknowledgement: UInt32
    public var payloadLength: Int
    public var window: UInt16
    public var hopLimit: UInt8

    public init(_ segment: TCPSegment) {
        self.frame = segment.frame
        self.timestamp = segment.timestamp
        self.source = segment.sourceEndpoint
        self.flags = segment.flags
        self.sequence = segment.sequence
        self.acknowledgement = segment.acknowledgement
        self.payloadLength = segment.payloadLength
        self.window = segment.window
        self.hopLimit = segment.hopLimit
    }
}

/// Which connections keep their last packets for a ladder, and how many.
public struct LadderRequest: Sendable, Hashable {
    /// Packets kept per connection (the last ones).
    public var depth: Int
    /// The connection ids to keep; `nil` keeps every connection's (more memory per live connection).
    public var connections: Set<Int>?

    public init(depth: Int, connections: Set<Int>?) {
        self.depth = depth
        self.connections = connections
    }

    /// No ladders: the least memory.
    public static let none = LadderRequest(depth: 0, connections: [])

    func wants(_ id: Int) -> Bool {
        self.depth > 0 && (self.connections?.contains(id) ?? true)
    }
}

/// The last packets of a connection: a ring that keeps the first few too (the handshake tells the story).
struct PacketRing: Sendable {
    private(set) var head: [PacketSummary] = []
    private var tail: [PacketSummary] = []
    private var next = 0
    private(set) var dropped = 0
    let depth: Int

    init(depth: Int) {
        self.depth = depth
    }

    mutating func append(_ packet: PacketSummary) {
        let headDepth = min(4, self.depth / 2)
        if self.head.count < headDepth {
            self.head.append(packet)
        } else if self.tail.count < self.depth - headDepth {
            self.tail.append(packet)
        } else {
            self.tail[self.next] = packet
            self.next = (self.next + 1) % self.tail.count
            self.dropped += 1
        }
    }

    /// The kept packets in order, and how many were left out between the first few and the last ones.
    var packets: (first: [PacketSummary], omitted: Int, last: [PacketSummary]) {
        (self.head, self.dropped, Array(self.tail[self.next...] + self.tail[..<self.next]))
    }
}
