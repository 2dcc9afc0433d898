/// Throughput over a sliding window of recent samples, so that the figure follows the transfer's present
/// pace (after a reset, say) instead of its average since the start.
public struct RateMeter: Sendable {
    private var samples: [(seconds: Double, bytes: UInt64)] = []
    /// The window's length in seconds.
    public let window: Double

    public init(window: Double = 3) {
        self.window = window
    }

    /// Records that `bytes` (a running total) were reached at `seconds` (any monotonic origin).
    public mutating func record(bytes: UInt64, at seconds: Double) {
        self.samples.append((seconds, bytes))
        while let first = self.samples.first, seconds - first.seconds > self.window, self.samples.count > 2 {
            self.samples.removeFirst()
        }
    }

    /// Bytes per second across the window, or `nil` before two samples a moment apart.
    public var bytesPerSecond: Double? {
        guard let first = self.samples.first, let last = self.samples.last, last.seconds - first.seconds >= 0.05 else {
            return nil
        }
        let bytes = last.bytes >= first.bytes ? Double(last.bytes - first.bytes) : 0
        return bytes / (last.seconds - first.seconds)
    }
}
