/// Counts of what a capture held, beyond its TCP connections.
public struct CaptureStatistics: Sendable, Hashable {
    public var frames = 0
    public var tcpSegments = 0
    /// IP fragments: detected and counted, not reassembled (their TCP headers may be missing).
    public var ipFragments = 0
    /// Frames that were not TCP: UDP, ICMP, ARP, other link types.
    public var otherPackets = 0
    public var malformedPackets = 0
    /// The first malformed frames, with what was wrong (at most ten are kept).
    public var malformedExamples: [MalformedPacket] = []
    /// The first and last TCP segments' times, nanoseconds since the epoch.
    public var firstTimestamp: Int64?
    public var lastTimestamp: Int64?
    /// The most connections followed at once: what memory was spent on.
    public var peakLiveConnections = 0

    public init() {}
}
