/// The sender's one-line progress display for a terminal:
/// `report.pdf [#########...........]  45%  120 MB/s  ETA 0:07  2 resumes`.
public struct ProgressLine: Sendable, Equatable {
    public var name: String
    /// Bytes the receiver has verified.
    public var done: UInt64
    public var total: UInt64
    /// Current throughput, `nil` while unknown.
    public var bytesPerSecond: Double?
    public var resumes: Int

    public init(name: String, done: UInt64, total: UInt64, bytesPerSecond: Double?, resumes: Int) {
        self.name = name
        self.done = done
        self.total = total
        self.bytesPerSecond = bytesPerSecond
        self.resumes = resumes
    }

    /// The fraction done, 0...1 (an empty file is complete).
    public var fraction: Double {
        guard self.total > 0 else { return 1 }
        return min(1, Double(self.done) / Double(self.total))
    }

    /// Seconds left at the current rate, `nil` while the rate is unknown or zero.
    public var secondsLeft: Double? {
        guard let rate = self.bytesPerSecond, rate > 0 else { return nil }
        return Double(self.total - min(self.done, self.total)) / rate
    }

    /// The line, fitted into `width` columns (the bar shrinks first, then the name is cut).
    public func render(width: Int) -> String {
        let percent = Int((self.fraction * 100).rounded(.down))
        let rate = self.bytesPerSecond.map(ByteFormat.rate) ?? "-- B/s"
        var tail = "  \(percent)%  \(rate)  ETA \(ByteFormat.duration(self.secondsLeft))"
        if self.resumes > 0 { tail += "  \(self.resumes) resume" + (self.resumes == 1 ? "" : "s") }
        let name = self.name.count > 24 ? String(self.name.prefix(23)) + "…" : self.name
        let barWidth = min(30, width - name.count - tail.count - 3)
        guard barWidth >= 5 else { return String((name + tail).prefix(max(0, width))) }
        let filled = Int((Double(barWidth) * self.fraction).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
        return "\(name) [\(bar)]" + tail
    }
}
