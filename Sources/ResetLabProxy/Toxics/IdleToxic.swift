/// `idle_reset` and `idle_drop`: a connection with no traffic in either direction for `idle` ms expires, like
/// a firewall or NAT whose state for it timed out (story 2). Not in Toxiproxy.
///
/// - `idle_reset` aborts it with RST (the intermittent 10054 after a quiet period);
/// - `idle_drop` forgets it silently: from then on everything is discarded in both directions and neither
///   side gets FIN or RST (the half-open connection nobody notices).
///
/// Activity is the connection starting (or the toxic being added), data in either direction and either
/// side's FIN. Only one wake is outstanding at a time: when it fires early because of newer activity, it is
/// re-armed at the last activity + `idle`. After expiry the stage returns no actions for any event.
public struct IdleToxic: ToxicStage {
    /// What happens to an expired connection.
    public enum Expiry: Sendable, Hashable {
        /// RST both ways (`idle_reset`).
        case reset
        /// Discard everything, never close (`idle_drop`).
        case drop
    }

    /// Milliseconds without traffic before the connection expires.
    public var idle: Int64 { self.tracker.idle }
    public let expiry: Expiry
    private var tracker: IdleTracker
    private var expired = false

    public init(idle: Int64, expiry: Expiry) {
        self.tracker = IdleTracker(idle: idle)
        self.expiry = expiry
    }
    public mutating func attached(now: ProxyInstant) -> [FaultAction] {
        self.expired ? [] : self.tracker.attached(now: now)
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        guard !self.expired else { return [] }
        self.tracker.noteActivity(now: now)
        return [.forward(bytes, at: now)]
    }

    public mutating func oppositeReceived(byteCount: Int, now: ProxyInstant) -> [FaultAction] {
        self.tracker.noteActivity(now: now)
        return []
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        guard !self.expired else { return [] }
        self.tracker.noteActivity(now: now)
        return [.endStream(at: now)]
    }

    public mutating func timerFired(now: ProxyInstant) -> [FaultAction] {
        guard !self.expired else { return [] }
        let (expired, rearm) = self.tracker.timerFired(now: now)
        guard expired else { return rearm }
        self.expired = true
        switch self.expiry {
        case .reset: return [.resetConnection(at: now)]
        case .drop: return [.blackholeConnection]
        }
    }
}
