/// Counts of durations in fixed, roughly logarithmic buckets (<1 ms, 1–10 ms, … ≥10 min).
public struct Histogram: Sendable, Hashable {
    /// Upper bounds of the buckets in nanoseconds; the last bucket has none.
    public static let bounds: [Int64] = [
        1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000, 60_000_000_000, 600_000_000_000,
    ]
    /// The buckets' labels, in order.
    public static let labels = ["<1 ms", "1-10 ms", "10-100 ms", "0.1-1 s", "1-10 s", "10-60 s", "1-10 min", ">=10 min"]

    public private(set) var counts = [Int](repeating: 0, count: Histogram.labels.count)

    public init() {}

    public mutating func add(_ nanoseconds: Int64) {
        let index = Self.bounds.firstIndex { nanoseconds < $0 } ?? Self.bounds.count
        self.counts[index] += 1
    }

    public var total: Int { self.counts.reduce(0, +) }
}
