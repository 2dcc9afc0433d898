import Testing

@testable import ResetLabCapture

/// ResetLab's own verdicts, the first RST's facts and the errors each application most likely saw.
@Suite struct VerdictTests {
    @Test func bothFinsAreACleanClose() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 10)
        conversation.server("FA")
        conversation.client("FA")
        conversation.server("A")
        let record = try #require(conversation.record())
        #expect(record.verdict == .cleanClose)
        #expect(record.originatorError == nil && record.responderError == nil)
        #expect(record.firstReset == nil)
    }

    @Test func aResetAnsweringTheSynIsRefused() throws {
        var conversation = Conversation()
        conversation.client("S")
        conversation.server("RA")
        let record = try #require(conversation.record())
        #expect(record.verdict == .refused)
        #expect(record.originatorError == .refused)
        #expect(record.originatorError?.winsockCode == 10061)
        #expect(record.firstReset?.fromOriginator == false)
        #expect(record.firstReset?.sequenceCheck == .notApplicable)
    }

    @Test func synRetriesWithoutAnswerCountTheRetries() throws {
        var conversation = Conversation()
        conversation.client("S")
        conversation.client("S", seq: 1000, after: 1_000_000_000)
        conversation.client("S", seq: 1000, after: 2_000_000_000)
        let record = try #require(conversation.record())
        #expect(record.verdict == .synUnanswered(retries: 2))
        #expect(record.originatorError == .timedOut)
        #expect(record.zeekState == .s0)
    }

    @Test func serverFinThenResetToTheClientsDataIsThe10053Pattern() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 1)
        conversation.server("A")
        conversation.server("FA")
        conversation.client("A")
        conversation.client("PA", 2, after: 50_000_000)
        conversation.server("R")
        let record = try #require(conversation.record())
        #expect(record.verdict == .finThenReset(byServer: true))
        #expect(record.verdict.sentence.contains("10053"))
        #expect(record.originatorError == .abortedAfterPeerClose)
        #expect(record.originatorError?.winsockCode == 10053)
        #expect(record.responderError == nil)
        #expect(record.firstReset?.sequenceCheck == .exact)
    }

    @Test func clientFinThenResetIsTheServersAbort() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("FA")
        conversation.server("PA", 2)
        conversation.client("R")
        let record = try #require(conversation.record())
        #expect(record.verdict == .finThenReset(byServer: false))
        #expect(record.responderError == .abortedAfterPeerClose)
    }

    @Test func aResetWithDataUnacknowledgedIsMidTransfer() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 100)
        conversation.server("RA")
        let record = try #require(conversation.record())
        #expect(record.verdict == .resetMidTransfer(byServer: true, bytesInFlight: 100))
        #expect(record.originatorError == .reset)
        #expect(record.originatorError?.winsockCode == 10054)
    }

    @Test func aResetAfterSilenceSaysHowLong() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 10)
        conversation.server("A")
        conversation.server("RA", after: 30_000_000_000)
        let record = try #require(conversation.record())
        #expect(record.verdict == .resetAfterIdle(byServer: true, seconds: 30))
        #expect(record.verdict.sentence == "reset by the server after 30 s idle")
        #expect(record.firstReset?.idleBefore == 30_000_000_000)
    }

    @Test func retransmissionsThenResetIsATimeoutAbort() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 100)
        for backoff in [200, 400, 800] as [Int64] {
            conversation.client("PA", 100, seq: 1001, after: backoff * 1_000_000)
        }
        conversation.client("R", seq: 1101)
        let record = try #require(conversation.record())
        #expect(record.verdict == .retransmissionsThenReset(byServer: false, retransmissions: 3))
        #expect(record.originatorError == .timedOut)
        #expect(record.responderError == .reset)
    }

    @Test func aPlainResetNamesItsSender() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 10)
        conversation.server("A")
        conversation.client("RA")
        let record = try #require(conversation.record())
        #expect(record.verdict == .resetByClient)
        #expect(record.responderError == .reset)
        #expect(record.firstReset?.fromOriginator == true)
    }

    @Test func dataAfterThePeersFinWithoutResetIsAHalfClose() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("FA")
        conversation.server("PA", 5)
        conversation.client("A")
        let record = try #require(conversation.record())
        #expect(record.verdict == .dataAfterPeerFin(byServer: true))
        #expect(!record.verdict.isReset)
    }

    @Test func noEndIsStillOpen() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 10)
        let record = try #require(conversation.record())
        #expect(record.verdict == .stillOpen)
        #expect(record.startedBeforeCapture == false)
        #expect(record.originReason == .synSeen)
    }

    @Test func theOriginatorAndWhyWeThinkSo() throws {
        var midstream = Conversation(serverPort: 8443)
        midstream.client("PA", 10)
        midstream.server("A")
        let first = try #require(midstream.record())
        #expect(first.originReason == .firstPacket)
        #expect(first.startedBeforeCapture)

        var fromServerPort = Conversation()
        fromServerPort.server("PA", 10)
        fromServerPort.client("A")
        let flipped = try #require(fromServerPort.record())
        #expect(flipped.originReason == .portHeuristic)
        #expect(flipped.originator == fromServerPort.client)

        var synAck = Conversation(serverPort: 45678)
        synAck.server("SA")
        synAck.client("A")
        let answered = try #require(synAck.record())
        #expect(answered.originReason == .synAckSeen)
        #expect(answered.originator == synAck.client)
        #expect(answered.responder == synAck.server)
    }

    @Test(arguments: [
        (UInt32(0), ResetFacts.SequenceCheck.exact),
        (UInt32(100), ResetFacts.SequenceCheck.inWindow),
        (UInt32(1_000_000), ResetFacts.SequenceCheck.outside),
    ])
    func theResetsSequenceNumberIsJudged(_ offset: UInt32, _ check: ResetFacts.SequenceCheck) throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 10)
        conversation.server("A")
        conversation.server("R", seq: conversation.serverNext &+ offset)
        let record = try #require(conversation.record())
        #expect(record.firstReset?.sequenceCheck == check)
    }

    @Test func aResetWithAnotherTTLHintsAtAMiddlebox() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 10)
        conversation.server("A")
        conversation.server("R", ttl: 50)
        let record = try #require(conversation.record())
        let reset = try #require(record.firstReset)
        #expect(reset.hopLimit == 50)
        #expect(reset.senderUsualHopLimit == 64)
        #expect(reset.middleboxSuspected)
        #expect(CaptureTableReport.details(record).first?.contains("probably injected by something in between") == true)

        var honest = Conversation()
        honest.handshake()
        honest.server("R")
        #expect(try #require(honest.record()).firstReset?.middleboxSuspected == false)
    }
}
