/// Toxiproxy's `timeout`: every byte of the stream is dropped, and `timeout` ms after the toxic starts the
/// whole connection is closed with FIN; `timeout` = 0 drops data forever and never closes (a black hole,
/// story 4's "transfer that runs past a timeout").
///
/// Like Toxiproxy, the end of the stream is swallowed too: the far side sees nothing until the timeout.
/// The clock starts when the stage is attached (connection start, or when the toxic is added to a live
/// connection), as in Toxiproxy, whose stub starts the timer when the toxic starts piping.
public struct TimeoutToxic: ToxicStage {
    /// Milliseconds until the connection is closed; 0 = never.
    public let timeout: Int64
    private var deadline: ProxyInstant?
    private var closed = false

    public init(timeout: Int64) {
        self.timeout = max(timeout, 0)
    }

    public mutating func attached(now: ProxyInstant) -> [FaultAction] {
        guard self.timeout > 0, !self.closed else { return [] }
        let deadline = now.saturatingAdding(milliseconds: self.timeout)
        self.deadline = deadline
        return [.wake(at: deadline)]
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        []
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        []
    }

    public mutating func timerFired(now: ProxyInstant) -> [FaultAction] {
        guard let deadline = self.deadline, now >= deadline, !self.closed else { return [] }
        self.closed = true
        return [.closeConnection(at: now)]
    }
}
