import NIOCore
import Testing

@testable import ResetLabSteady

struct OutboundLogTests {
    static func payload(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func messagesAreNumberedSentOnceAndReleasedByAcks() throws {
        var log = OutboundLog()
        #expect(log.append(Self.payload("a")) == 1)
        #expect(log.append(Self.payload("b")) == 2)
        #expect(log.append(Self.payload("c")) == 3)
        #expect(log.unsent(limit: 2).map(\.sequence) == [1, 2])
        #expect(log.unsent().map(\.sequence) == [3])
        #expect(log.unsent().isEmpty)
        #expect(try log.acknowledge(through: 2) == 2)
        #expect(log.firstHeld == 3)
        #expect(log.heldBytes == 1)
        #expect(!log.isDrained)
        #expect(try log.acknowledge(through: 1) == 0, "an old ack changes nothing")
        #expect(try log.acknowledge(through: 3) == 1)
        #expect(log.isDrained)
    }

    @Test func afterAReconnectEverythingThePeerDidNotDeliverIsSentAgain() throws {
        var log = OutboundLog()
        for text in ["a", "b", "c", "d"] { log.append(Self.payload(text)) }
        _ = log.unsent()
        // The connection broke; the peer says it delivered through 2.
        try log.resume(peerReceived: 2)
        let resent = log.unsent()
        #expect(resent.map(\.sequence) == [3, 4])
        #expect(resent.map { String(buffer: $0.payload) } == ["c", "d"])
    }

    @Test func anAckForAMessageNeverSentIsAProtocolError() {
        var log = OutboundLog()
        log.append(Self.payload("a"))
        #expect(throws: SteadyProtocolError.acknowledgedUnsent(acknowledged: 5, lastSent: 1)) {
            try log.acknowledge(through: 5)
        }
    }

    @Test func limitsApplyBackPressureButAnOversizedMessageAloneStillFits() throws {
        var log = OutboundLog(limits: .init(messages: 2, bytes: 10))
        #expect(log.hasRoom(forPayload: 100), "nothing held: even a large message fits")
        log.append(Self.payload("12345"))
        #expect(log.hasRoom(forPayload: 5))
        #expect(!log.hasRoom(forPayload: 6), "the byte limit")
        log.append(Self.payload("1"))
        #expect(!log.hasRoom(forPayload: 1), "the message limit")
        _ = log.unsent()
        try log.acknowledge(through: 1)
        #expect(log.hasRoom(forPayload: 5))
    }

    @Test func aJournalledSessionContinuesItsNumbering() throws {
        var log = OutboundLog(firstSequence: 41)
        log.restore(sequence: 41, payload: Self.payload("x"))
        #expect(log.append(Self.payload("y")) == 42)
        #expect(log.acknowledgedThrough == 40)
        try log.resume(peerReceived: 40)
        #expect(log.unsent().map(\.sequence) == [41, 42])
    }
}

struct InboundLogTests {
    @Test func eachMessageIsAcceptedOnceAndInOrder() throws {
        var log = InboundLog()
        #expect(try log.receive(sequence: 1) == .accept)
        #expect(try log.receive(sequence: 2) == .accept)
        #expect(try log.receive(sequence: 1) == .duplicate)
        #expect(try log.receive(sequence: 2) == .duplicate)
        #expect(throws: SteadyProtocolError.sequenceGap(expected: 3, got: 5)) { try log.receive(sequence: 5) }
        #expect(try log.receive(sequence: 3) == .accept)
    }

    @Test func acknowledgementsReportWhatTheApplicationTook() throws {
        var log = InboundLog()
        for sequence in 1...10 { _ = try log.receive(sequence: UInt64(sequence)) }
        #expect(!log.owesAcknowledgement, "accepted but not yet taken")
        log.delivered(through: 3)
        #expect(log.owesAcknowledgement)
        log.delivered(through: 4)
        #expect(log.acknowledging() == 4)
        #expect(!log.owesAcknowledgement)
        log.delivered(through: 5)
        log.connectionLost()
        #expect(!log.owesAcknowledgement, "the next connection's handshake reports the position")
    }

    @Test func aPeerThatKeptNoStateStartsWhereItsHeldMessagesStart() throws {
        var log = InboundLog()
        log.startAfter(40)
        #expect(try log.receive(sequence: 40) == .duplicate)
        #expect(try log.receive(sequence: 41) == .accept)
    }
}

extension OutboundLog {
    /// What ``takeUnsent(limit:_:)`` hands out, collected.
    mutating func unsent(limit: Int = .max) -> [(sequence: UInt64, payload: ByteBuffer)] {
        var messages: [(sequence: UInt64, payload: ByteBuffer)] = []
        let count = self.takeUnsent(limit: limit) { messages.append(($0, $1)) }
        precondition(count == messages.count)
        return messages
    }
}
