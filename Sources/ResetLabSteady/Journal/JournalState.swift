/// What a journal's records add up to: the state a restarted sender or receiver continues from.
public struct JournalState: Sendable, Equatable {
    /// The last identity recorded: the session (for a client) and the epoch of the run that wrote it.
    public var session: SessionID?
    public var epoch: UInt64 = 0
    /// Messages not yet acknowledged, in order, with their numbers.
    public var held: [(sequence: UInt64, payload: [UInt8])] = []
    /// The highest number acknowledged by the peer.
    public var acknowledgedThrough: UInt64 = 0
    /// The highest number ever given to a message.
    public var lastSequence: UInt64 = 0
    /// Per session: the last message the application took and its cursor then.
    public var delivered: [SessionID: Delivery] = [:]

    public struct Delivery: Sendable, Equatable {
        public var through: UInt64
        public var cursor: UInt64
        /// The delivery that was under way when the journal ends, if its completion was not recorded: the
        /// application decides from its own output whether it happened.
        public var pending: Pending?

        public init(through: UInt64, cursor: UInt64, pending: Pending? = nil) {
            self.through = through
            self.cursor = cursor
            self.pending = pending
        }
    }

    public struct Pending: Sendable, Equatable {
        public var sequence: UInt64
        public var cursor: UInt64
        public var length: UInt64

        public init(sequence: UInt64, cursor: UInt64, length: UInt64) {
            self.sequence = sequence
            self.cursor = cursor
            self.length = length
        }
    }

    public init() {}

    /// Replays `records` in order.
    public init(replaying records: [JournalRecord]) {
        self.init()
        for record in records { self.apply(record) }
    }

    public static func == (lhs: JournalState, rhs: JournalState) -> Bool {
        lhs.session == rhs.session && lhs.epoch == rhs.epoch && lhs.acknowledgedThrough == rhs.acknowledgedThrough
            && lhs.lastSequence == rhs.lastSequence && lhs.delivered == rhs.delivered
            && lhs.held.map(\.sequence) == rhs.held.map(\.sequence) && lhs.held.map(\.payload) == rhs.held.map(\.payload)
    }

    public mutating func apply(_ record: JournalRecord) {
        switch record {
        case .identity(let session, let epoch):
            self.session = session
            self.epoch = epoch
        case .message(let sequence, let payload):
            // A message numbered at or below what is known (a replayed compaction) is not new.
            guard sequence > self.lastSequence else { return }
            self.lastSequence = sequence
            if sequence > self.acknowledgedThrough { self.held.append((sequence, payload)) }
        case .acknowledged(let through):
            guard through > self.acknowledgedThrough else { return }
            self.acknowledgedThrough = through
            if through > self.lastSequence { self.lastSequence = through }
            if let keep = self.held.firstIndex(where: { $0.sequence > through }) {
                self.held.removeFirst(keep)
            } else {
                self.held.removeAll()
            }
        case .delivered(let session, let through, let cursor):
            self.delivered[session] = Delivery(through: through, cursor: cursor)
        case .delivering(let session, let through, let cursor, let length):
            var delivery = self.delivered[session] ?? Delivery(through: 0, cursor: 0)
            delivery.pending = Pending(sequence: through, cursor: cursor, length: length)
            self.delivered[session] = delivery
        }
    }

    /// The fewest records that replay to this state: what a compacted journal holds.
    public var compacted: [JournalRecord] {
        var records: [JournalRecord] = []
        if let session = self.session { records.append(.identity(session: session, epoch: self.epoch)) }
        records.append(.acknowledged(through: self.acknowledgedThrough))
        for message in self.held { records.append(.message(sequence: message.sequence, payload: message.payload)) }
        for (session, delivery) in self.delivered.sorted(by: { $0.key.description < $1.key.description }) {
            records.append(.delivered(session: session, through: delivery.through, cursor: delivery.cursor))
            if let pending = delivery.pending {
                records.append(.delivering(session: session, through: pending.sequence, cursor: pending.cursor, length: pending.length))
            }
        }
        return records
    }
}
