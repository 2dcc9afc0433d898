/// The last few state changes and retransmissions of each connection, so that a reset can be shown with
/// what led up to it. Bounded: ``depth`` events per connection, ``capacity`` connections (the least
/// recently active are forgotten first).
public struct ConnectionTrail: Sendable {
    public let depth: Int
    public let capacity: Int
    private var trails: [ConnectionEnds: (events: [KernelEvent], touched: UInt64)] = [:]
    private var clock: UInt64 = 0

    public init(depth: Int = 8, capacity: Int = 4_096) {
        self.depth = max(1, depth)
        self.capacity = max(1, capacity)
    }

    public var connectionCount: Int { self.trails.count }

    /// Remembers a state change or retransmission (other events are ignored).
    public mutating func record(_ event: KernelEvent) {
        switch event.kind {
        case .stateChanged, .retransmitted: break
        default: return
        }
        self.clock &+= 1
        let ends = event.ends
        var events = self.trails[ends]?.events ?? []
        events.append(event)
        if events.count > self.depth { events.removeFirst(events.count - self.depth) }
        self.trails[ends] = (events, self.clock)
        // Evict in batches (a quarter of the capacity) so the sort is paid rarely.
        if self.trails.count > self.capacity {
            let keep = self.capacity - self.capacity / 4
            let kept = self.trails.sorted { $0.value.touched > $1.value.touched }.prefix(keep)
            self.trails = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }

    /// The connection's state after its last recorded event, if any.
    public func lastState(of ends: ConnectionEnds) -> String? {
        self.trails[ends]?.events.last?.state
    }

    /// The connection's trail, oldest first, which is then forgotten.
    public mutating func take(for ends: ConnectionEnds) -> [KernelEvent] {
        self.trails.removeValue(forKey: ends)?.events ?? []
    }
}
