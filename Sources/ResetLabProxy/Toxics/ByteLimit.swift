/// The byte counting shared by ``LimitDataToxic`` and ``ResetAfterBytesToxic``: lets `bytes` bytes through,
/// cuts the chunk that crosses the limit, then ends the connection with the given action once.
struct ByteLimit: Sendable, Hashable {
    /// Bytes that may still pass.
    private(set) var remaining: Int64
    /// Whether the limit was reached and the connection ended.
    private(set) var isReached = false

    init(bytes: Int64) {
        self.remaining = max(bytes, 0)
    }

    mutating func received(_ bytes: [UInt8], now: ProxyInstant, then ending: FaultAction) -> [FaultAction] {
        guard !self.isReached else { return [] }
        var actions: [FaultAction] = []
        let passing = Int(clamping: min(self.remaining, Int64(bytes.count)))
        if passing > 0 {
            actions.append(.forward(Array(bytes.prefix(passing)), at: now))
            self.remaining -= Int64(passing)
        }
        if self.remaining == 0 {
            self.isReached = true
            actions.append(ending)
        }
        return actions
    }
}
