/// Toxiproxy's `limit_data`: the first `bytes` bytes of the stream pass, then the whole connection is
/// closed with FIN (a server or firewall that cuts a transfer after a quota).
///
/// As in Toxiproxy, the chunk that crosses the limit is cut at it, the close comes as soon as the limit
/// is reached (`bytes` = 0 closes on the first data), and later data is dropped.
public struct LimitDataToxic: ToxicStage {
    /// How many bytes of the stream may pass.
    public let bytes: Int64
    private var limit: ByteLimit

    public init(bytes: Int64) {
        self.bytes = max(bytes, 0)
        self.limit = ByteLimit(bytes: self.bytes)
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        self.limit.received(bytes, now: now, then: .closeConnection(at: now))
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        self.limit.isReached ? [] : [.endStream(at: now)]
    }
}
