/// Toxiproxy's `slow_close`: data passes untouched; when the sending side closes, the FIN is held back
/// for `delay` ms (a server or middlebox that lingers before closing).
///
/// Same as Toxiproxy, which waits `delay` after it sees end of file and then closes.
public struct SlowCloseToxic: ToxicStage {
    /// How long the FIN is held back, in milliseconds.
    public let delay: Int64

    public init(delay: Int64) {
        self.delay = max(delay, 0)
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        [.endStream(at: now.saturatingAdding(milliseconds: self.delay))]
    }
}
