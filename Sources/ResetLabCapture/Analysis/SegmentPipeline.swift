/// The last few TCP segments read, each followed two packets after it was decoded: meanwhile its
/// connection's index position and then its state are loaded into the cache, so following it seldom
/// waits on memory. Segments are decoded in place here and never copied.
struct SegmentPipeline {
    /// A power of two above the distance between decoding and following.
    private static let capacity = 4
    private var segments = InlineArray<4, TCPSegment>(repeating: .empty)
    private var hashes = InlineArray<4, UInt32>(repeating: 0)
    /// Segments decoded and segments followed so far; the ones in between are waiting.
    private var decoded = 0
    private var followed = 0

    /// Decodes `frame` into the next place and returns `true` when it is a TCP segment, which waits there;
    /// anything else goes into `other`.
    @inline(__always)
    mutating func decode(_ frame: borrowing CapturedFrame, otherwise other: inout DecodedPacket) -> Bool {
        let place = self.decoded & (Self.capacity - 1)
        guard PacketDecoder.decode(frame, into: &self.segments[place], otherwise: &other) else { return false }
        self.hashes[place] = ConnectionTracker.hash(of: self.segments[place])
        self.decoded += 1
        return true
    }

    /// The hash of the segment decoded last: its index position is to be loaded now.
    var newestHash: UInt32 { self.hashes[(self.decoded - 1) & (Self.capacity - 1)] }

    /// The hash of the segment before it, whose index position was asked for one packet ago: its
    /// connection is to be loaded now.
    var previousHash: UInt32? {
        self.decoded - self.followed >= 2 ? self.hashes[(self.decoded - 2) & (Self.capacity - 1)] : nil
    }

    /// Whether the oldest waiting segment has waited long enough (or, with `draining`, waits at all).
    @inline(__always)
    func hasReady(draining: Bool = false) -> Bool {
        self.decoded - self.followed > (draining ? 0 : 2)
    }

    /// Hands the oldest waiting segment and its hash to `body`, then forgets it.
    @inline(__always)
    mutating func followOldest(_ body: (borrowing TCPSegment, UInt32) -> Void) {
        let place = self.followed & (Self.capacity - 1)
        body(self.segments[place], self.hashes[place])
        self.followed += 1
    }
}
