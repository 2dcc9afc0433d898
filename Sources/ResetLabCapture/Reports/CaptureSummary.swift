/// Totals over every connection of a capture: verdicts, Zeek states, who reset and where, and how long
/// connections lived and idled before a reset.
public struct CaptureSummary: Sendable {
    public private(set) var connections = 0
    /// Connections per verdict identifier (``Verdict/identifier``).
    public private(set) var verdicts: [String: Int] = [:]
    public private(set) var zeekStates: [ZeekConnState: Int] = [:]
    public private(set) var startedBeforeCapture = 0
    public private(set) var resets = 0
    /// Resets by the host that sent the RST.
    public private(set) var resettingHosts: [IPAddress: Int] = [:]
    /// Resets by the server port of the connection.
    public private(set) var resetServerPorts: [UInt16: Int] = [:]
    /// RSTs whose TTL differed from their sender's other packets.
    public private(set) var middleboxSuspected = 0
    public private(set) var timeToReset = Histogram()
    public private(set) var idleBeforeReset = Histogram()

    public init() {}

    public mutating func add(_ record: ConnectionRecord) {
        self.connections += 1
        self.verdicts[record.verdict.identifier, default: 0] += 1
        self.zeekStates[record.zeekState, default: 0] += 1
        if record.startedBeforeCapture { self.startedBeforeCapture += 1 }
        guard let reset = record.firstReset, record.verdict.isReset else { return }
        self.resets += 1
        let sender = reset.fromOriginator ? record.originator : record.responder
        self.resettingHosts[sender.address, default: 0] += 1
        self.resetServerPorts[record.responder.port, default: 0] += 1
        if reset.middleboxSuspected { self.middleboxSuspected += 1 }
        self.timeToReset.add(reset.sinceStart)
        self.idleBeforeReset.add(reset.idleBefore)
    }

    /// The `limit` most frequent entries, most frequent first, ties in a stable order.
    public static func top<Key: Comparable>(_ counts: [Key: Int], limit: Int = 5) -> [(Key, Int)] {
        Array(counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit))
    }

    /// Verdict identifiers in a fixed reading order, with their counts (only those seen).
    public var verdictCounts: [(String, Int)] {
        Self.verdictOrder.compactMap { id in self.verdicts[id].map { (id, $0) } }
    }

    static let verdictOrder = [
        "clean-close", "reset-by-client", "reset-by-server", "fin-then-reset", "refused", "syn-unanswered",
        "reset-mid-transfer", "reset-after-idle", "retransmissions-then-reset", "data-after-peer-fin", "still-open",
    ]
}
