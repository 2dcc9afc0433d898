/// Reads a capture from start to end: frames → decoded packets → connections → records. Streaming; what
/// it holds is bounded by the connections alive at once.
public struct CaptureAnalyzer: Sendable {
    public private(set) var statistics = CaptureStatistics()
    private var tracker: ConnectionTracker

    /// - Parameters:
    ///   - ladder: Which connections keep their packets for a ladder.
    ///   - closeDelay: How long an ended connection waits for stray packets, in nanoseconds.
    public init(ladder: LadderRequest = .none, closeDelay: Int64 = 5_000_000_000) {
        self.tracker = ConnectionTracker(closeDelay: closeDelay, ladder: ladder)
    }

    /// Reads every frame of `source` and reports every connection, including, when the input turns out
    /// to be corrupt or cut short, the ones seen before the problem.
    /// - Returns: The error that stopped the reading (``CaptureReadError``, or the source's own), if any.
    public mutating func run<Source: ByteSource>(
        _ source: Source,
        report: (ConnectionRecord, LadderPackets?) -> Void
    ) -> (any Error)? {
        var reader = CaptureReader(source: source)
        var failure: (any Error)?
        var pipeline = SegmentPipeline()
        var other = DecodedPacket.other
        do {
            try reader.readFrames { frame in self.add(frame, through: &pipeline, other: &other, report: report) }
        } catch {
            failure = error
        }
        while pipeline.hasReady(draining: true) {
            pipeline.followOldest { segment, hash in self.add(segment: segment, hash: hash, report: report) }
        }
        self.tracker.finish(report: report)
        return failure
    }

    /// Decodes one frame into the pipeline, loads what the waiting segments will need, and follows the
    /// oldest one once it has waited long enough.
    @inline(__always)
    private mutating func add(
        _ frame: borrowing CapturedFrame, through pipeline: inout SegmentPipeline, other: inout DecodedPacket,
        report: (ConnectionRecord, LadderPackets?) -> Void
    ) {
        guard pipeline.decode(frame, otherwise: &other) else {
            self.add(other, report: report)
            return
        }
        self.tracker.prefetchIndex(hash: pipeline.newestHash)
        if let previous = pipeline.previousHash { self.tracker.prefetchConnection(hash: previous) }
        if pipeline.hasReady() {
            pipeline.followOldest { segment, hash in self.add(segment: segment, hash: hash, report: report) }
        }
    }

    /// Follows one decoded packet.
    public mutating func add(_ packet: DecodedPacket, report: (ConnectionRecord, LadderPackets?) -> Void) {
        switch packet {
        case .tcp(let segment):
            self.add(segment: segment, hash: ConnectionTracker.hash(of: segment), report: report)
            return
        case .ipFragment:
            self.statistics.ipFragments += 1
        case .other:
            self.statistics.otherPackets += 1
        case .malformed(let malformed):
            self.statistics.malformedPackets += 1
            if self.statistics.malformedExamples.count < 10 { self.statistics.malformedExamples.append(malformed) }
        }
        self.statistics.frames += 1
    }

    /// Follows one TCP segment.
    @inline(__always)
    private mutating func add(
        segment: borrowing TCPSegment, hash: UInt32, report: (ConnectionRecord, LadderPackets?) -> Void
    ) {
        self.statistics.frames += 1
        self.statistics.tcpSegments += 1
        if self.statistics.firstTimestamp == nil { self.statistics.firstTimestamp = segment.timestamp }
        self.statistics.lastTimestamp = segment.timestamp
        self.tracker.add(copy segment, hash: hash, report: report)
        let live = self.tracker.liveConnections
        if live > self.statistics.peakLiveConnections { self.statistics.peakLiveConnections = live }
    }
}
