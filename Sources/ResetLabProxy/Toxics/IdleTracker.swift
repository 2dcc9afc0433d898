/// The idle timing shared by ``IdleResetToxic`` and ``IdleDropToxic``: remembers the last activity in either
/// direction and keeps exactly one wake outstanding, re-armed lazily when it fires early.
struct IdleTracker: Sendable, Hashable {
    /// Milliseconds without traffic after which the connection counts as idle.
    let idle: Int64
    private var lastActivity = ProxyInstant.zero
    /// The outstanding wake, if any.
    private var pendingWake: ProxyInstant?

    init(idle: Int64) {
        self.idle = max(idle, 1)
    }

    /// The connection started: counts as activity and asks for the first wake.
    mutating func attached(now: ProxyInstant) -> [FaultAction] {
        self.lastActivity = now
        return self.armIfNeeded()
    }

    /// Something went through the connection.
    mutating func noteActivity(now: ProxyInstant) {
        self.lastActivity = max(self.lastActivity, now)
    }

    /// A wake is due. Returns whether the connection has been idle long enough; if not, `rearm` holds
    /// the next wake to ask for (empty for a stale wake when a later one is still outstanding).
    mutating func timerFired(now: ProxyInstant) -> (expired: Bool, rearm: [FaultAction]) {
        guard let pendingWake = self.pendingWake, now >= pendingWake else { return (false, []) }
        self.pendingWake = nil
        if now >= self.expiry {
            return (true, [])
        }
        return (false, self.armIfNeeded())
    }

    private var expiry: ProxyInstant {
        self.lastActivity.saturatingAdding(milliseconds: self.idle)
    }

    private mutating func armIfNeeded() -> [FaultAction] {
        guard self.pendingWake == nil else { return [] }
        let wake = self.expiry
        self.pendingWake = wake
        return [.wake(at: wake)]
    }
}
