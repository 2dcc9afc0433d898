/// `limit_data` and `reset_after_bytes`: the first `bytes` bytes of the stream pass, then the whole
/// connection ends.
///
/// - `limit_data` (Toxiproxy's) closes it with FIN: a server or firewall that cuts a transfer after a quota.
/// - `reset_after_bytes` (not in Toxiproxy) aborts it with RST: story 3's upload that dies with 10054 after
///   ~700 KB.
///
/// As in Toxiproxy, the chunk that crosses the limit is cut at the exact byte, the connection ends as soon
/// as the limit is reached (`bytes` = 0 ends it on the first data), and later data is dropped.
public struct ByteLimitToxic: ToxicStage {
    /// How the connection ends once the limit is reached.
    public enum Ending: Sendable, Hashable {
        /// FIN both ways (`limit_data`).
        case close
        /// RST both ways (`reset_after_bytes`).
        case reset
    }

    /// How many bytes of the stream may pass.
    public let bytes: Int64
    public let ending: Ending
    /// Bytes that may still pass.
    private var remaining: Int64
    /// Whether the limit was reached and the connection ended.
    private var isReached = false

    public init(bytes: Int64, ending: Ending) {
        self.bytes = max(bytes, 0)
        self.ending = ending
        self.remaining = self.bytes
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        guard !self.isReached else { return [] }
        var actions: [FaultAction] = []
        let passing = Int(clamping: min(self.remaining, Int64(bytes.count)))
        if passing > 0 {
            actions.append(.forward(Array(bytes.prefix(passing)), at: now))
            self.remaining -= Int64(passing)
        }
        if self.remaining == 0 {
            self.isReached = true
            actions.append(self.ending == .close ? .closeConnection(at: now) : .resetConnection(at: now))
        }
        return actions
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        self.isReached ? [] : [.endStream(at: now)]
    }
}
