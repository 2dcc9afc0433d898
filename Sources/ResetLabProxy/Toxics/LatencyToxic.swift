/// Toxiproxy's `latency`: every chunk is delayed by `latency` ms ± a uniform `jitter` ms, counted from the
/// instant the proxy read it.
///
/// Differences from Toxiproxy:
/// - Jitter is drawn with nanosecond resolution in `-jitter...jitter` ms (Toxiproxy draws whole
///   milliseconds in `-jitter..<jitter`).
/// - A chunk is never forwarded before the previous one, so jitter cannot reorder the stream (Toxiproxy
///   keeps the order too, because it sleeps chunk by chunk), and never before it was read (`jitter` >
///   `latency`).
/// - The end of the stream follows the last chunk instead of overtaking it.
public struct LatencyToxic: ToxicStage {
    /// The delay added to every chunk, in milliseconds.
    public let latency: Int64
    /// The largest random deviation from `latency`, in milliseconds.
    public let jitter: Int64
    private var random: SeededRandomSource
    /// The instant the previous chunk was forwarded at.
    private var lastForward: ProxyInstant?

    /// - Parameter random: seeds this stage's own generator, so the stage stays a plain value.
    public init(latency: Int64, jitter: Int64, random: inout some RandomSource) {
        self.latency = max(latency, 0)
        self.jitter = max(jitter, 0)
        self.random = SeededRandomSource(seed: UInt64(bitPattern: random.next(in: Int64.min...Int64.max)))
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        var delay = ToxicArithmetic.nanoseconds(milliseconds: self.latency)
        if self.jitter > 0 {
            let spread = ToxicArithmetic.nanoseconds(milliseconds: self.jitter)
            delay = ToxicArithmetic.add(delay, self.random.next(in: -spread...spread))
        }
        var instant = max(now, now.saturatingAdding(nanoseconds: delay))
        if let lastForward = self.lastForward {
            instant = max(instant, lastForward)
        }
        self.lastForward = instant
        return [.forward(bytes, at: instant)]
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        [.endStream(at: max(now, self.lastForward ?? now))]
    }
}
