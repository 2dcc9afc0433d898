/// `crash_restart`: the server process crashes and comes back `duration` ms later (story 2). When the fault
/// is attached, every open connection is reset and the listener is closed, so new connects are refused;
/// after `duration` the listener opens again. Clients that kept their old connection learn of the crash
/// only through the RST. Not in Toxiproxy (its closest, `enabled: false`, closes with FIN).
///
/// A proxy-wide fault: the proxy calls it directly instead of chaining it as a ``ToxicStage``. It acts
/// once per attachment; removing it while the listener is down opens the listener at once.
public struct CrashRestartFault: Sendable, Hashable {
    /// How long the "server" stays down, in milliseconds.
    public let duration: Int64
    /// When the listener opens again, while it is down.
    public private(set) var restartAt: ProxyInstant?

    public init(duration: Int64) {
        self.duration = max(duration, 0)
    }

    /// Whether the listener is currently down because of this fault.
    public var isDown: Bool { self.restartAt != nil }

    /// The fault was added: the crash happens now.
    public mutating func attached(now: ProxyInstant) -> [ProxyFaultAction] {
        let restartAt = now.saturatingAdding(milliseconds: self.duration)
        self.restartAt = restartAt
        return [.resetAllConnections, .stopListening, .wake(at: restartAt)]
    }

    /// A wake the fault asked for is due: the server is back.
    public mutating func timerFired(now: ProxyInstant) -> [ProxyFaultAction] {
        guard let restartAt = self.restartAt, now >= restartAt else { return [] }
        self.restartAt = nil
        return [.startListening]
    }

    /// The fault was removed: if the listener is still down, it opens now.
    public mutating func removed(now: ProxyInstant) -> [ProxyFaultAction] {
        guard self.restartAt != nil else { return [] }
        self.restartAt = nil
        return [.startListening]
    }
}
