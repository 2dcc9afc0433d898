/// Drops the extra copies of one reset that packet capture sees when the packet crosses several of this
/// host's interfaces: an address on a bridge (the port and the bridge), a VLAN or a bond (the parent and
/// the child). A copy is the same segment, going the same way, on an interface that has not yet seen it,
/// within ``window`` seconds; the same segment twice on one interface is two resets and both are kept.
/// The two directions of loopback are different events (sent, received) and both are kept.
public struct DuplicateResetFilter: Sendable {
    /// How close copies are in time (they are microseconds apart).
    public static let window = 0.01

    private struct Seen: Sendable {
        var reset: CapturedReset
        var direction: PacketDirection
        var timestamp: Double
        /// The interfaces it was seen on, the first four (no allocation per reset).
        var interfaces: (Int32, Int32, Int32, Int32)
        var interfaceCount: Int

        init(reset: CapturedReset, direction: PacketDirection, timestamp: Double, interface: Int32) {
            self.reset = reset
            self.direction = direction
            self.timestamp = timestamp
            self.interfaces = (interface, 0, 0, 0)
            self.interfaceCount = 1
        }

        /// Whether it was seen on `interface`; when four are recorded, any further one counts as seen.
        func wasSeen(on interface: Int32) -> Bool {
            switch self.interfaceCount {
            case 1: self.interfaces.0 == interface
            case 2: self.interfaces.0 == interface || self.interfaces.1 == interface
            case 3: self.interfaces.0 == interface || self.interfaces.1 == interface || self.interfaces.2 == interface
            default: true
            }
        }

        mutating func add(_ interface: Int32) {
            switch self.interfaceCount {
            case 1: self.interfaces.1 = interface
            case 2: self.interfaces.2 = interface
            case 3: self.interfaces.3 = interface
            default: return
            }
            self.interfaceCount += 1
        }
    }

    /// The latest resets let through, oldest overwritten first.
    private var recent: [Seen] = []
    private var next = 0
    private let capacity: Int

    /// - Parameter capacity: how many recent resets to remember (at 100,000 resets a second, copies of one
    ///   reset lie a few packets apart).
    public init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
        self.recent.reserveCapacity(self.capacity)
    }

    /// Whether this is another interface's copy of a reset already let through (`true`: skip it). Remembers
    /// it either way.
    public mutating func isCopy(_ reset: CapturedReset, direction: PacketDirection, interface: Int32, timestamp: Double) -> Bool {
        // Newest first: a second real reset pairs its copies with itself, not with the first one.
        var index = self.next
        for _ in 0..<self.recent.count {
            index = index == 0 ? self.recent.count - 1 : index - 1
            guard self.recent[index].reset.sequence == reset.sequence,
                abs(timestamp - self.recent[index].timestamp) <= Self.window,
                self.recent[index].direction == direction, self.recent[index].reset == reset,
                !self.recent[index].wasSeen(on: interface)
            else { continue }
            self.recent[index].add(interface)
            return true
        }
        let entry = Seen(reset: reset, direction: direction, timestamp: timestamp, interface: interface)
        if self.recent.count < self.capacity {
            self.recent.append(entry)
        } else {
            self.recent[self.next] = entry
        }
        self.next = (self.next + 1) % self.capacity
        return false
    }
}
