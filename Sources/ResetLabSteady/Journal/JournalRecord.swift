import CResetLabDigest

/// One entry of a Steady journal: the write-ahead log that lets a sender or receiver be killed (even with
/// SIGKILL) and start again without losing or repeating a message.
///
/// On disk a journal is ``JournalRecord/fileMagic``, then records, each a 4-byte big-endian length, a
/// type byte, the fields, and a CRC-32C of type and fields. Replay stops at the first record that is
/// incomplete or fails its checksum (a write cut short by a crash) and the file is cut there.
public enum JournalRecord: Sendable, Equatable {
    /// Who this side is: its session (a client) and the epoch it runs in. The last one counts.
    case identity(session: SessionID, epoch: UInt64)
    /// A message accepted for sending, with its number: written before the sender is told it was taken.
    case message(sequence: UInt64, payload: [UInt8])
    /// The peer acknowledged every message through this number: they need not be sent again.
    case acknowledged(through: UInt64)
    /// The application took every message of `session` through `through`; `cursor` is the application's
    /// own position at that moment (the serve command's output offset), handed back at replay.
    case delivered(session: SessionID, through: UInt64, cursor: UInt64)
    /// The application is about to take message `through` of `session`; `cursor` is its position before
    /// and `length` what taking it will add. At replay the application decides whether it happened.
    case delivering(session: SessionID, through: UInt64, cursor: UInt64, length: UInt64)

    /// The first bytes of every journal file.
    public static let fileMagic: [UInt8] = Array("RLSTJRN1".utf8)

    enum Kind: UInt8 {
        case identity = 1, message, acknowledged, delivered, delivering
    }

    /// Appends the record's bytes, framing and checksum included.
    public func encode(into bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0])
        switch self {
        case .identity(let session, let epoch):
            bytes.append(Kind.identity.rawValue)
            Self.append(session, to: &bytes)
            Self.append(epoch, to: &bytes)
        case .message(let sequence, let payload):
            bytes.append(Kind.message.rawValue)
            Self.append(sequence, to: &bytes)
            bytes.append(contentsOf: payload)
        case .acknowledged(let through):
            bytes.append(Kind.acknowledged.rawValue)
            Self.append(through, to: &bytes)
        case .delivered(let session, let through, let cursor):
            bytes.append(Kind.delivered.rawValue)
            Self.append(session, to: &bytes)
            Self.append(through, to: &bytes)
            Self.append(cursor, to: &bytes)
        case .delivering(let session, let through, let cursor, let length):
            bytes.append(Kind.delivering.rawValue)
            Self.append(session, to: &bytes)
            Self.append(through, to: &bytes)
            Self.append(cursor, to: &bytes)
            Self.append(length, to: &bytes)
        }
        let length = UInt32(bytes.count - start - 4)
        bytes[start] = UInt8(length >> 24)
        bytes[start + 1] = UInt8(truncatingIfNeeded: length >> 16)
        bytes[start + 2] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[start + 3] = UInt8(truncatingIfNeeded: length)
        let checksum = bytes.withUnsafeBufferPointer { all in
            rl_crc32c(0, all.baseAddress.map { $0 + start + 4 }, Int(length))
        }
        Self.append(checksum, to: &bytes)
    }

    /// The records of a journal file's bytes, and how many bytes of it are sound (a torn tail is not).
    /// - Throws: ``SteadyError`` of kind `journal` when the bytes are not a journal at all.
    public static func decodeFile(_ bytes: [UInt8]) throws(SteadyError) -> (records: [JournalRecord], soundLength: Int) {
        if bytes.isEmpty { return ([], 0) }
        guard bytes.count >= Self.fileMagic.count, Array(bytes.prefix(Self.fileMagic.count)) == Self.fileMagic else {
            throw SteadyError(.journal, detail: "not a Steady journal (it does not start with \"RLSTJRN1\")")
        }
        var records: [JournalRecord] = []
        var position = Self.fileMagic.count
        while let (record, next) = Self.decode(bytes, at: position) {
            records.append(record)
            position = next
        }
        return (records, position)
    }

    /// The record at `position` and where the next starts; `nil` when it is incomplete or damaged.
    static func decode(_ bytes: [UInt8], at position: Int) -> (JournalRecord, Int)? {
        guard bytes.count - position >= 4 + 1 + 4 else { return nil }
        let length = Int(Self.uint32(bytes, position))
        guard length >= 1, bytes.count - position - 4 - 4 >= length else { return nil }
        let body = position + 4
        let stored = Self.uint32(bytes, body + length)
        let computed = bytes.withUnsafeBufferPointer { all in rl_crc32c(0, all.baseAddress.map { $0 + body }, length) }
        guard stored == computed, let kind = Kind(rawValue: bytes[body]) else { return nil }
        let fields = body + 1
        let fieldLength = length - 1
        let record: JournalRecord
        switch kind {
        case .identity:
            guard fieldLength == 24 else { return nil }
            record = .identity(session: Self.session(bytes, fields), epoch: Self.uint64(bytes, fields + 16))
        case .message:
            guard fieldLength >= 8 else { return nil }
            record = .message(sequence: Self.uint64(bytes, fields), payload: Array(bytes[(fields + 8)..<(fields + fieldLength)]))
        case .acknowledged:
            guard fieldLength == 8 else { return nil }
            record = .acknowledged(through: Self.uint64(bytes, fields))
        case .delivered:
            guard fieldLength == 32 else { return nil }
            record = .delivered(session: Self.session(bytes, fields), through: Self.uint64(bytes, fields + 16), cursor: Self.uint64(bytes, fields + 24))
        case .delivering:
            guard fieldLength == 40 else { return nil }
            record = .delivering(
                session: Self.session(bytes, fields), through: Self.uint64(bytes, fields + 16),
                cursor: Self.uint64(bytes, fields + 24), length: Self.uint64(bytes, fields + 32))
        }
        return (record, body + length + 4)
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func append(_ session: SessionID, to bytes: inout [UInt8]) {
        Self.append(session.high, to: &bytes)
        Self.append(session.low, to: &bytes)
    }

    private static func uint64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in at..<(at + 8) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in at..<(at + 4) { value = value << 8 | UInt32(bytes[index]) }
        return value
    }

    private static func session(_ bytes: [UInt8], _ at: Int) -> SessionID {
        SessionID(high: Self.uint64(bytes, at), low: Self.uint64(bytes, at + 8))
    }
}
