/// Who held which connection, as last seen in the kernel's socket table.
///
/// A socket that has just been reset has already left the table by the time its event is read, so owners
/// are learned while connections live: the table is read again shortly after a new connection appears
/// (``noteNewConnection()``, ``shouldRefresh(at:)``) and at least every ``maximumInterval``, and an owner is
/// kept for ``retention`` seconds after its socket left the table, for the events that follow its end.
public struct OwnerCache: Sendable {
    /// The most connections remembered; the least recently seen are forgotten first.
    public var capacity: Int
    /// Seconds an owner is kept after its connection was last in the table.
    public var retention: Double
    /// The shortest time between two reads of the table.
    public var minimumInterval: Double
    /// The longest time between two reads of the table, new connections noted or not: a reader that has
    /// fallen behind notes a connection only after it is gone, so the table is also read on a timer.
    public var maximumInterval: Double

    private var entries: [ConnectionEnds: (owner: SocketOwner, seen: Double)] = [:]
    private var lastRefresh = -Double.infinity
    private var newConnections = true

    public init(
        capacity: Int = 65_536, retention: Double = 30, minimumInterval: Double = 0.2, maximumInterval: Double = 1
    ) {
        self.capacity = capacity
        self.retention = retention
        self.minimumInterval = minimumInterval
        self.maximumInterval = maximumInterval
    }

    /// The owner last seen holding this connection, if any.
    public func owner(of ends: ConnectionEnds) -> SocketOwner? {
        self.entries[ends]?.owner
    }

    public var count: Int { self.entries.count }

    /// A connection appeared (a state change into SYN_SENT, SYN_RECV or ESTABLISHED): the next refresh
    /// may learn its owner.
    public mutating func noteNewConnection() {
        self.newConnections = true
    }

    /// Whether the table should be read now: a connection appeared since the last read and the last read
    /// is at least ``minimumInterval`` old, or the last read is ``maximumInterval`` old.
    public func shouldRefresh(at time: Double) -> Bool {
        let elapsed = time - self.lastRefresh
        return (self.newConnections && elapsed >= self.minimumInterval) || elapsed >= self.maximumInterval
    }

    /// A read of the table starts at `time`. Connections noted from now on may be missing from it, so they
    /// make the next read due: clearing the mark only once the read is done would lose them.
    public mutating func beginRefresh(at time: Double) {
        self.lastRefresh = time
        self.newConnections = false
    }

    /// Takes in a read of the table made at `time`: every connection in it with its owner. Forgets owners
    /// not seen for ``retention`` seconds, then the least recently seen beyond ``capacity``.
    public mutating func learn(_ snapshot: [ConnectionEnds: SocketOwner], at time: Double) {
        for (ends, owner) in snapshot { self.entries[ends] = (owner, time) }
        let oldest = time - self.retention
        self.entries = self.entries.filter { $0.value.seen >= oldest }
        if self.entries.count > self.capacity {
            let kept = self.entries.sorted { $0.value.seen > $1.value.seen }.prefix(self.capacity)
            self.entries = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }
}
