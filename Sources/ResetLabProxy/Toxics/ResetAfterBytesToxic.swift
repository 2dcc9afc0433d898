/// `reset_after_bytes`: the first `bytes` bytes of the stream pass, then the whole connection is aborted
/// with RST: story 3's upload that dies with 10054 after ~700 KB. Not in Toxiproxy (its `limit_data`
/// closes with FIN).
///
/// The chunk that crosses the limit is cut at the exact byte, the reset comes as soon as the limit is
/// reached (`bytes` = 0 resets on the first data), and later data is dropped.
public struct ResetAfterBytesToxic: ToxicStage {
    /// How many bytes of the stream pass before the reset.
    public let bytes: Int64
    private var limit: ByteLimit

    public init(bytes: Int64) {
        self.bytes = max(bytes, 0)
        self.limit = ByteLimit(bytes: self.bytes)
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        self.limit.received(bytes, now: now, then: .resetConnection(at: now))
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        self.limit.isReached ? [] : [.endStream(at: now)]
    }
}
