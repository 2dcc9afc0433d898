import CResetLabPrefetch

/// Follows every TCP connection of a capture, packet by packet, and hands each one over as a
/// ``ConnectionRecord`` once it has ended and stayed quiet for ``closeDelay`` of capture time, or when the
/// capture ends. Memory is bounded by the connections alive at once, never by the capture's size.
///
/// A pure SYN with a new initial sequence number on a 4-tuple whose connection has ended (or was never
/// answered) starts a new connection; idle time alone never splits one.
public struct ConnectionTracker: Sendable {
    /// How long an ended connection waits for stray packets (a retransmitted FIN, a late RST) before it is
    /// reported and forgotten, in nanoseconds. Zeek waits 5 s too.
    public let closeDelay: Int64
    public let ladder: LadderRequest
    private var index = ConnectionIndex()
    /// Connections by slot. A slot whose ``live`` flag is false holds a finished connection's stale value
    /// until it is reused: connections are changed in place, never copied out.
    private var connections: [TrackedConnection] = []
    private var live: [Bool] = []
    /// Each slot's connection id, kept apart so that reading it copies nothing.
    private var ids: [Int] = []
    private var freeSlots: [Int] = []
    private var rings: [Int: PacketRing] = [:]
    /// Ended connections in the order they ended, checked once per second of capture time.
    private var ending: [EndedEntry] = []
    private var endingHead = 0
    private var nextExpiryCheck: Int64 = .min
    private var nextID = 1

    /// - Parameters:
    ///   - closeDelay: See ``closeDelay``.
    ///   - ladder: Which connections keep their packets for a ladder.
    public init(closeDelay: Int64 = 5_000_000_000, ladder: LadderRequest = .none) {
        self.closeDelay = closeDelay
        self.ladder = ladder
        // Address space only: pages are touched as slots are used, so memory still grows with the
        // connections alive at once, but a busy capture's slots are never copied to a larger array.
        self.connections.reserveCapacity(Self.reservedSlots)
    }

    /// Slots reserved at the start (about 30 MB of address space at most, none of it touched yet).
    private static let reservedSlots = 1 << 16

    /// Connections being followed now.
    public var liveConnections: Int { self.index.count }

    /// Follows one segment; `report` receives connections that are over.
    public mutating func add(_ segment: TCPSegment, report: (ConnectionRecord, LadderPackets?) -> Void) {
        self.add(segment, hash: Self.hash(of: segment), report: report)
    }

    /// The index hash of a segment's connection, for the prefetches and ``add(_:hash:report:)``.
    @inline(__always)
    static func hash(of segment: TCPSegment) -> UInt32 {
        ConnectionHash.of(segment.sourceEndpoint, segment.destinationEndpoint)
    }

    /// Starts loading the index position a segment with `hash` will be looked up at. Only a hint.
    @inline(__always)
    func prefetchIndex(hash: UInt32) {
        self.index.prefetchEntry(hash: hash)
    }

    /// Starts loading the state of the connection a segment with `hash` most likely belongs to; best a
    /// step after ``prefetchIndex(hash:)``, once that index position is at hand. Only a hint: a lookup
    /// that finds another connection later is still correct.
    @inline(__always)
    func prefetchConnection(hash: UInt32) {
        guard let slot = self.index.firstSlot(hash: hash) else { return }
        self.connections.withUnsafeBufferPointer { stored in
            guard slot < stored.count, let base = stored.baseAddress else { return }
            let start = UnsafeRawPointer(base + slot)
            for offset in stride(from: 0, to: MemoryLayout<TrackedConnection>.size, by: 64) {
                rl_prefetch_for_update(start + offset)
            }
        }
    }

    /// ``add(_:report:)`` with the segment's ``hash(of:)`` already worked out.
    mutating func add(_ segment: TCPSegment, hash: UInt32, report: (ConnectionRecord, LadderPackets?) -> Void) {
        if segment.timestamp >= self.nextExpiryCheck {
            self.expire(before: segment.timestamp, report: report)
            self.nextExpiryCheck = segment.timestamp &+ 1_000_000_000
        }
        // Through a buffer pointer, so that no second reference to the array makes the next write copy it.
        let found = self.connections.withUnsafeBufferPointer { stored in
            self.index.slot(hash: hash) { stored[$0].belongs(segment) }
        }
        if let slot = found {
            switch self.connections[slot].follow(segment) {
            case .startsNewConnection:
                self.close(slot: slot, hash: hash, report: report)
            case .followed(let endedNow):
                if endedNow {
                    self.ending.append(EndedEntry(slot: slot, id: self.ids[slot], since: segment.timestamp))
                }
                if self.ladder.depth > 0 && self.ladder.wants(self.ids[slot]) {
                    self.rings[slot]?.append(PacketSummary(segment))
                }
                return
            }
        }
        self.open(segment, hash: hash)
    }

    /// Reports every connection still followed, in the order they were first seen. Call at the end.
    public mutating func finish(report: (ConnectionRecord, LadderPackets?) -> Void) {
        let open = self.index.slots.sorted { self.ids[$0] < self.ids[$1] }
        for slot in open { self.close(slot: slot, hash: self.connections[slot].hash, report: report) }
    }

    private mutating func open(_ segment: TCPSegment, hash: UInt32) {
        let connection = TrackedConnection(id: self.nextID, first: segment)
        self.nextID += 1
        let slot: Int
        if let free = self.freeSlots.popLast() {
            slot = free
            self.connections[slot] = connection
            self.live[slot] = true
            self.ids[slot] = connection.id
        } else {
            slot = self.connections.count
            self.connections.append(connection)
            self.live.append(true)
            self.ids.append(connection.id)
        }
        self.index.insert(hash: hash, slot: slot)
        if connection.hasEnded {
            self.ending.append(EndedEntry(slot: slot, id: connection.id, since: segment.timestamp))
        }
        if self.ladder.wants(connection.id) {
            var ring = PacketRing(depth: self.ladder.depth)
            ring.append(PacketSummary(segment))
            self.rings[slot] = ring
        }
    }

    private mutating func close(slot: Int, hash: UInt32, report: (ConnectionRecord, LadderPackets?) -> Void) {
        guard self.live[slot] else { return }
        let ladder = self.rings.isEmpty ? nil : self.rings.removeValue(forKey: slot).map { LadderPackets($0) }
        // Read in place: the connection is not copied out of its slot to make the record.
        let record = self.connections.withUnsafeBufferPointer { ConnectionRecord($0[slot]) }
        report(record, ladder)
        self.live[slot] = false
        self.index.remove(hash: hash, slot: slot)
        self.freeSlots.append(slot)
    }

    /// Reports ended connections that have been quiet for ``closeDelay``.
    private mutating func expire(before now: Int64, report: (ConnectionRecord, LadderPackets?) -> Void) {
        while self.endingHead < self.ending.count {
            let entry = self.ending[self.endingHead]
            // Entries are in the order they ended: once one is too recent, so are all after it.
            guard entry.since &+ self.closeDelay <= now else { break }
            self.endingHead += 1
            guard self.live[entry.slot], self.ids[entry.slot] == entry.id else { continue }
            let end = self.connections[entry.slot].end
            if end &+ self.closeDelay <= now {
                self.close(slot: entry.slot, hash: self.connections[entry.slot].hash, report: report)
            } else {
                // Packets arrived after it ended: wait again from its latest one.
                self.ending.append(EndedEntry(slot: entry.slot, id: entry.id, since: end))
            }
        }
        if self.endingHead > 4_096 && self.endingHead * 2 > self.ending.count {
            self.ending.removeFirst(self.endingHead)
            self.endingHead = 0
        }
    }

    private struct EndedEntry: Sendable {
        var slot: Int
        var id: Int
        /// When it ended, or its latest packet since.
        var since: Int64
    }
}

/// The packets a ladder shows for one connection.
public struct LadderPackets: Sendable, Hashable {
    /// The first packets (the handshake).
    public var first: [PacketSummary]
    /// Packets between `first` and `last` that were not kept.
    public var omitted: Int
    /// The last packets, up to the end.
    public var last: [PacketSummary]

    init(_ ring: PacketRing) {
        (self.first, self.omitted, self.last) = ring.packets
    }

    /// Every kept packet in order.
    public var all: [PacketSummary] { self.first + self.last }
}

extension TrackedConnection {
    /// The index hash of the connection, as ``ConnectionTracker/hash(of:)`` gives for its segments.
    var hash: UInt32 { ConnectionHash.of(self.firstSender, self.firstReceiver) }
}
