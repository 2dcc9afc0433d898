import CResetLabDigest
import Testing

@testable import ResetLabSteady

struct JournalTests {
    static let session = SessionID(high: 1, low: 2)
    static let other = SessionID(high: 3, low: 4)

    static let records: [JournalRecord] = [
        .identity(session: session, epoch: 3),
        .message(sequence: 1, payload: Array("one".utf8)),
        .message(sequence: 2, payload: []),
        .message(sequence: 3, payload: Array("three".utf8)),
        .acknowledged(through: 1),
        .delivered(session: other, through: 17, cursor: 400),
        .delivering(session: other, through: 18, cursor: 400, length: 3),
    ]

    static func file(_ records: [JournalRecord]) -> [UInt8] {
        var bytes = JournalRecord.fileMagic
        for record in records { record.encode(into: &bytes) }
        return bytes
    }

    @Test func crc32cMatchesTheStandardCheckValue() {
        let check = Array("123456789".utf8)
        #expect(check.withUnsafeBufferPointer { rl_crc32c(0, $0.baseAddress, $0.count) } == 0xe306_9283)
        let long = [UInt8](repeating: 0xa5, count: 1000)
        let whole = long.withUnsafeBufferPointer { rl_crc32c(0, $0.baseAddress, $0.count) }
        let split = long.withUnsafeBufferPointer { part in
            rl_crc32c(rl_crc32c(0, part.baseAddress, 333), part.baseAddress! + 333, 667)
        }
        #expect(whole == split, "a checksum continues across calls")
    }

    @Test func recordsSurviveTheFile() throws {
        let bytes = Self.file(Self.records)
        let (decoded, sound) = try JournalRecord.decodeFile(bytes)
        #expect(decoded == Self.records)
        #expect(sound == bytes.count)
    }

    @Test func aTornOrDamagedTailIsCutAndTheRestKept() throws {
        let bytes = Self.file(Self.records)
        let complete = Self.file(Array(Self.records.dropLast()))
        for cut in complete.count..<bytes.count {
            let (decoded, sound) = try JournalRecord.decodeFile(Array(bytes.prefix(cut)))
            #expect(decoded == Array(Self.records.dropLast()))
            #expect(sound == complete.count)
        }
        var damaged = bytes
        damaged[complete.count + 7] ^= 0x40
        #expect(try JournalRecord.decodeFile(damaged).records.count == Self.records.count - 1)
    }

    @Test func aFileThatIsNotAJournalIsAnError() throws {
        #expect(throws: SteadyError.self) { try JournalRecord.decodeFile(Array("hello world".utf8)) }
        #expect(try JournalRecord.decodeFile([]).records.isEmpty)
    }

    @Test func replayGivesTheHeldMessagesTheNumberingAndTheDeliveries() {
        let state = JournalState(replaying: Self.records)
        #expect(state.session == Self.session)
        #expect(state.epoch == 3)
        #expect(state.acknowledgedThrough == 1)
        #expect(state.lastSequence == 3)
        #expect(state.held.map(\.sequence) == [2, 3])
        #expect(state.held.map { String(decoding: $0.payload, as: UTF8.self) } == ["", "three"])
        #expect(state.delivered[Self.other] == .init(through: 17, cursor: 400, pending: .init(sequence: 18, cursor: 400, length: 3)))
    }

    @Test func aCompactedJournalReplaysToTheSameState() {
        var records = Self.records
        for sequence in 4...50 { records.append(.message(sequence: UInt64(sequence), payload: [UInt8(sequence)])) }
        records.append(.acknowledged(through: 45))
        records.append(.delivered(session: Self.session, through: 9, cursor: 90))
        let state = JournalState(replaying: records)
        let compacted = state.compacted
        #expect(compacted.count < records.count)
        #expect(JournalState(replaying: compacted) == state)
        #expect(state.held.map(\.sequence) == Array(46...50))
    }

    @Test func everythingAcknowledgedLeavesNothingHeldButKeepsTheNumbering() {
        let state = JournalState(replaying: [.message(sequence: 1, payload: [1]), .message(sequence: 2, payload: [2]), .acknowledged(through: 2)])
        #expect(state.held.isEmpty)
        #expect(state.lastSequence == 2)
        #expect(JournalState(replaying: state.compacted).lastSequence == 2)
    }
}

@Suite struct OutputReconciliationTests {
    let pending = JournalState.Pending(sequence: 7, cursor: 100, length: 10)

    @Test func aCompleteWriteCountsAsDelivered() {
        #expect(OutputReconciliation(outputSize: 110, pending: self.pending) == .happened)
    }

    @Test func aMissingWriteIsDeliveredAgain() {
        #expect(OutputReconciliation(outputSize: 100, pending: self.pending) == .didNotHappen)
        #expect(OutputReconciliation(outputSize: 0, pending: self.pending) == .didNotHappen)
    }

    @Test func aTornWriteIsCutBackAndDeliveredAgain() {
        #expect(OutputReconciliation(outputSize: 104, pending: self.pending) == .torn(truncateTo: 100))
    }
}
