/// Toxiproxy's `slicer`: every chunk is cut into pieces of about `averageSize` ± `sizeVariation` bytes,
/// sent `delay` µs apart (TCP does not keep message boundaries: story 3's framing bug shows up when a
/// reader assumes one `recv` = one message).
///
/// Differences from Toxiproxy:
/// - Pieces are cut one after another, each `averageSize` + a uniform draw in `-sizeVariation...
///   sizeVariation` (the last one is whatever is left), instead of Toxiproxy's recursive halving.
/// - Every attribute the schema allows works: `averageSize` < 1 counts as 1, and `sizeVariation` ≥
///   `averageSize` is clamped so every piece has at least one byte (both crash Toxiproxy, issue #541).
/// - As in Toxiproxy, the next chunk's first piece waits `delay` after the previous chunk's last piece;
///   the end of the stream follows the last piece.
public struct SlicerToxic: ToxicStage {
    /// The mean piece size in bytes.
    public let averageSize: Int64
    /// The largest deviation of a piece's size from `averageSize`, in bytes.
    public let sizeVariation: Int64
    /// Microseconds between pieces.
    public let delay: Int64
    private var random: SeededRandomSource
    /// The earliest instant the next piece may go.
    private var nextFree: ProxyInstant?
    /// The instant the previous piece was forwarded at.
    private var lastForward: ProxyInstant?

    /// - Parameter random: seeds this stage's own generator, so the stage stays a plain value.
    public init(averageSize: Int64, sizeVariation: Int64, delay: Int64, random: inout some RandomSource) {
        self.averageSize = max(averageSize, 1)
        self.sizeVariation = max(sizeVariation, 0)
        self.delay = max(delay, 0)
        self.random = SeededRandomSource(seed: UInt64(bitPattern: random.next(in: Int64.min...Int64.max)))
    }

    /// The range piece sizes are drawn from: never below 1 byte.
    public var sizeRange: ClosedRange<Int64> {
        let variation = min(self.sizeVariation, self.averageSize - 1)
        return (self.averageSize - variation)...ToxicArithmetic.add(self.averageSize, variation)
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        let step = ToxicArithmetic.nanoseconds(microseconds: self.delay)
        var instant = max(now, self.nextFree ?? now)
        var actions: [FaultAction] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let size = Int(clamping: self.random.next(in: self.sizeRange))
            let end = bytes.index(start, offsetBy: min(size, bytes.endIndex - start))
            actions.append(.forward(Array(bytes[start..<end]), at: instant))
            self.lastForward = instant
            instant = instant.saturatingAdding(nanoseconds: step)
            start = end
        }
        if !actions.isEmpty {
            self.nextFree = instant
        }
        return actions
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        [.endStream(at: max(now, self.lastForward ?? now))]
    }
}
