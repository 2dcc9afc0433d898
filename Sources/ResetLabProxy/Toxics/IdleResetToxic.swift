/// `idle_reset`: a connection with no traffic in either direction for `idle` ms is aborted with RST, like
/// a firewall or NAT that resets connections whose state expired (story 2's intermittent 10054 after a
/// quiet period). Data is forwarded unchanged. Not in Toxiproxy.
///
/// Activity is the connection starting (or the toxic being added), data in either direction and either
/// side's FIN. Only one wake is outstanding at a time: when it fires early because of newer activity, it
/// is re-armed at the last activity + `idle`.
public struct IdleResetToxic: ToxicStage {
    /// Milliseconds without traffic before the reset.
    public var idle: Int64 { self.tracker.idle }
    private var tracker: IdleTracker
    private var reset = false

    public init(idle: Int64) {
        self.tracker = IdleTracker(idle: idle)
    }

    public mutating func attached(now: ProxyInstant) -> [FaultAction] {
        self.reset ? [] : self.tracker.attached(now: now)
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        guard !self.reset else { return [] }
        self.tracker.noteActivity(now: now)
        return [.forward(bytes, at: now)]
    }

    public mutating func oppositeReceived(byteCount: Int, now: ProxyInstant) -> [FaultAction] {
        self.tracker.noteActivity(now: now)
        return []
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        guard !self.reset else { return [] }
        self.tracker.noteActivity(now: now)
        return [.endStream(at: now)]
    }

    public mutating func timerFired(now: ProxyInstant) -> [FaultAction] {
        guard !self.reset else { return [] }
        let (expired, rearm) = self.tracker.timerFired(now: now)
        guard expired else { return rearm }
        self.reset = true
        return [.resetConnection(at: now)]
    }
}
