/// `idle_drop`: a connection with no traffic in either direction for `idle` ms is silently forgotten, like
/// a NAT or firewall whose state timed out (story 2's half-open connection): from then on everything is
/// discarded in both directions and neither side gets FIN or RST. Not in Toxiproxy.
///
/// Activity is the connection starting (or the toxic being added), data in either direction and either
/// side's FIN. On expiry the stage returns ``FaultAction/blackholeConnection`` once and then returns no
/// actions for any event.
public struct IdleDropToxic: ToxicStage {
    /// Milliseconds without traffic before the connection is forgotten.
    public var idle: Int64 { self.tracker.idle }
    private var tracker: IdleTracker
    private var dropped = false

    public init(idle: Int64) {
        self.tracker = IdleTracker(idle: idle)
    }

    public mutating func attached(now: ProxyInstant) -> [FaultAction] {
        self.dropped ? [] : self.tracker.attached(now: now)
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        guard !self.dropped else { return [] }
        self.tracker.noteActivity(now: now)
        return [.forward(bytes, at: now)]
    }

    public mutating func oppositeReceived(byteCount: Int, now: ProxyInstant) -> [FaultAction] {
        self.tracker.noteActivity(now: now)
        return []
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        guard !self.dropped else { return [] }
        self.tracker.noteActivity(now: now)
        return [.endStream(at: now)]
    }

    public mutating func timerFired(now: ProxyInstant) -> [FaultAction] {
        guard !self.dropped else { return [] }
        let (expired, rearm) = self.tracker.timerFired(now: now)
        guard expired else { return rearm }
        self.dropped = true
        return [.blackholeConnection]
    }
}
