/// One toxic's state for one connection: an explicit state machine that takes events and returns actions.
///
/// The proxy keeps one stage per toxic per connection, chained in the toxic's stream:
///
/// ```
/// client ──▶ [stage 1] ──▶ [stage 2] ──▶ upstream      (upstream stream)
/// client ◀── [stage 1] ◀── [stage 2] ◀── upstream      (downstream stream)
/// ```
///
/// Data a stage forwards goes to the next stage at the instant the stage chose. Connection-wide actions
/// (close, reset, blackhole) apply at once to both directions, whoever returns them.
public protocol ToxicStage: Sendable {
    /// The connection has been set up (or the toxic was just added to a live connection).
    mutating func attached(now: ProxyInstant) -> [FaultAction]
    /// Bytes arrived in this toxic's stream.
    mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction]
    /// Bytes went through the connection in the other direction (most toxics ignore this).
    mutating func oppositeReceived(byteCount: Int, now: ProxyInstant) -> [FaultAction]
    /// The sending side of this toxic's stream closed (FIN).
    mutating func endOfStream(now: ProxyInstant) -> [FaultAction]
    /// A ``FaultAction/wake(at:)`` the stage asked for is due.
    mutating func timerFired(now: ProxyInstant) -> [FaultAction]
}

extension ToxicStage {
    public mutating func attached(now: ProxyInstant) -> [FaultAction] { [] }
    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] { [.forward(bytes, at: now)] }
    public mutating func oppositeReceived(byteCount: Int, now: ProxyInstant) -> [FaultAction] { [] }
    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] { [.endStream(at: now)] }
    public mutating func timerFired(now: ProxyInstant) -> [FaultAction] { [] }
}
