/// A connection's packets as a ladder: numbered rows with direction, flags, sequence and acknowledgement
/// numbers relative to each side's first, lengths, windows and time gaps, plus the story in words
/// ("1–3 handshake; 4 client sends 1 byte; 5 server FIN; …; 8 server RST").
public struct ConnectionLadder: Sendable {
    /// One row of the ladder.
    public struct Row: Sendable, Hashable {
        /// The packet's number within the connection, from 1.
        public var number: Int
        public var packet: PacketSummary
        public var fromClient: Bool
        /// Sequence and acknowledgement numbers relative to each side's first sequence number.
        public var relativeSequence: Int64
        public var relativeAcknowledgement: Int64?
        /// Seconds since the connection's first packet, and since the previous row.
        public var time: Int64
        public var gap: Int64?
        /// The payload repeats bytes this side had sent before.
        public var isRetransmission: Bool
    }

    public let record: ConnectionRecord
    public let rows: [Row]
    /// Packets not kept between the first rows and the last ones.
    public let omitted: Int
    /// Where the omission falls: rows before this index come before it.
    public let omittedAfter: Int

    public init(record: ConnectionRecord, packets: LadderPackets) {
        self.record = record
        self.omitted = packets.omitted
        self.omittedAfter = packets.first.count
        var rows: [Row] = []
        var initial: [Endpoint: UInt32] = [:]
        var highest: [Endpoint: UInt32] = [:]
        let start = packets.first.first?.timestamp ?? record.start
        var previous: Int64?
        for (index, packet) in packets.all.enumerated() {
            let number = index < packets.first.count ? index + 1 : index + 1 + packets.omitted
            let sender = packet.source
            let receiver = sender == record.originator ? record.responder : record.originator
            if initial[sender] == nil, !packet.flags.contains(.rst) || packet.flags.contains(.ack) {
                initial[sender] = packet.sequence &- (packet.flags.contains(.syn) ? 0 : 1)
            }
            let base = initial[sender] ?? packet.sequence
            let relativeSequence = Int64(packet.sequence &- base)
            var relativeAck: Int64?
            if packet.flags.contains(.ack), let peerBase = initial[receiver] {
                relativeAck = Int64(packet.acknowledgement &- peerBase)
            }
            let end = packet.sequence &+ UInt32(truncatingIfNeeded: packet.payloadLength)
            var retransmission = false
            if packet.payloadLength > 0 {
                if let top = highest[sender], Int32(bitPattern: end &- top) <= 0 {
                    retransmission = true
                } else {
                    highest[sender] = end
                }
            }
            rows.append(Row(
                number: number, packet: packet, fromClient: sender == record.originator,
                relativeSequence: relativeSequence, relativeAcknowledgement: relativeAck,
                time: packet.timestamp - start, gap: previous.map { packet.timestamp - $0 },
                isRetransmission: retransmission
            ))
            previous = packet.timestamp
        }
        self.rows = rows
    }

    /// The story in words.
    public var story: String {
        var parts: [String] = []
        var index = 0
        if self.rows.count >= 3, self.omittedAfter >= 3 || self.omitted == 0 {
            let (syn, synAck, ack) = (self.rows[0], self.rows[1], self.rows[2])
            if syn.packet.flags == .syn, synAck.packet.flags.isSuperset(of: [.syn, .ack]), !ack.packet.flags.contains(.syn),
                ack.packet.flags.contains(.ack), ack.packet.payloadLength == 0, !ack.packet.flags.contains(.fin),
                !ack.packet.flags.contains(.rst)
            {
                parts.append("1–3 handshake")
                index = 3
            }
        }
        while index < self.rows.count {
            if index == self.omittedAfter && self.omitted > 0 { parts.append("… \(self.omitted) packets not shown …") }
            let row = self.rows[index]
            parts.append("\(row.number) \(Self.describe(row))")
            index += 1
        }
        return parts.joined(separator: "; ")
    }

    static func describe(_ row: Row) -> String {
        let side = row.fromClient ? "client" : "server"
        let flags = row.packet.flags
        let bytes = row.packet.payloadLength
        let amount = bytes == 1 ? "1 byte" : "\(bytes) bytes"
        if flags.contains(.rst) { return "\(side) RST" }
        if flags.contains(.syn) { return flags.contains(.ack) ? "\(side) SYN-ACK" : "\(side) SYN" }
        var words: [String] = []
        if bytes > 0 { words.append(row.isRetransmission ? "resends \(amount)" : "sends \(amount)") }
        if flags.contains(.fin) { words.append(bytes > 0 ? "and FIN" : "FIN") }
        if words.isEmpty {
            return row.packet.window == 0 ? "\(side) acknowledges, window 0" : "\(side) acknowledges"
        }
        return "\(side) " + words.joined(separator: " ")
    }

    /// The ladder as text.
    public func render() -> String {
        let record = self.record
        var lines = [
            "Connection \(record.id): \(record.originator) (client, \(record.originReason.rawValue)) -> \(record.responder) (server)",
            "  started \(CaptureTimeFormat.utc(record.start)) UTC, lasted \(CaptureTimeFormat.duration(record.duration))",
            "  Zeek: \(record.zeekState.rawValue) \(record.zeekHistory) (\(record.zeekState.meaning))",
            "  verdict: \(record.verdict.sentence)",
        ]
        lines += CaptureTableReport.details(record).map { "  " + $0 }
        lines.append("")
        lines.append("    #    FRAME   TIME        GAP         DIRECTION          FLAGS  SEQ        ACK        LEN     WIN     TTL")
        for (position, row) in self.rows.enumerated() {
            if position == self.omittedAfter && self.omitted > 0 {
                lines.append("    … \(self.omitted) packets not shown …")
            }
            let direction = row.fromClient ? "client -> server" : "server -> client"
            var line = "  " + CaptureTableReport.pad(String(row.number), 4, right: true)
            line += "  " + CaptureTableReport.pad(String(row.packet.frame), 7, right: true) + "  "
            line += CaptureTableReport.pad(CaptureTimeFormat.seconds(row.time), 12)
            line += CaptureTableReport.pad(row.gap.map { "+" + CaptureTimeFormat.duration($0) } ?? "", 12)
            line += CaptureTableReport.pad(direction, 19)
            line += CaptureTableReport.pad(row.packet.flags.description, 7)
            line += CaptureTableReport.pad(String(row.relativeSequence), 11)
            line += CaptureTableReport.pad(row.relativeAcknowledgement.map(String.init) ?? "-", 11)
            line += CaptureTableReport.pad(String(row.packet.payloadLength) + (row.isRetransmission ? "*" : ""), 8)
            line += CaptureTableReport.pad(String(row.packet.window), 8)
            line += String(row.packet.hopLimit)
            lines.append(line)
        }
        if self.rows.contains(where: \.isRetransmission) { lines.append("  * retransmitted payload") }
        lines.append("")
        lines.append("  Story: " + self.story)
        return lines.joined(separator: "\n")
    }
}
