import Testing

@testable import ResetLabLab

@Suite struct ExpectationTests {
    private let packets = LabFixtures.gracefulPackets()

    @Test func inOrderFindsSegmentsInSequenceWithOthersBetween() {
        let story = PacketExpectation.inOrder([PacketMatch(.server, .fin), .data(.client), PacketMatch(.server, .rst)])
        #expect(story.isMet(by: self.packets))
        let reversed = PacketExpectation.inOrder([PacketMatch(.server, .rst), PacketMatch(.server, .fin)])
        #expect(!reversed.isMet(by: self.packets))
        #expect(PacketExpectation.inOrder([]).isMet(by: []))
        #expect(!PacketExpectation.inOrder([PacketMatch(.client, .syn)]).isMet(by: []))
        #expect(PacketExpectation.inOrder([PacketMatch(.server, [.syn, .ack])]).isMet(by: self.packets))
        #expect(!PacketExpectation.inOrder([PacketMatch(.client, [.syn, .ack])]).isMet(by: self.packets))
        #expect(story.description == "F from server, then data from client, then R from server")
    }

    @Test func absentMeansNoSuchSegment() {
        #expect(PacketExpectation.absent(PacketMatch(.client, .rst)).isMet(by: self.packets))
        #expect(!PacketExpectation.absent(PacketMatch(.server, .rst)).isMet(by: self.packets))
        #expect(!PacketExpectation.absent(PacketMatch(.server, .fin)).isMet(by: self.packets), "FA contains F")
        #expect(PacketExpectation.absent(PacketMatch(.server, .fin)).isMet(by: []))
        #expect(PacketExpectation.absent(PacketMatch(.server, .fin)).description == "no F from server")
    }

    @Test func atLeastCountsMatches() {
        #expect(PacketExpectation.atLeast(2, .data(.client)).isMet(by: self.packets))
        #expect(!PacketExpectation.atLeast(3, .data(.client)).isMet(by: self.packets))
        #expect(!PacketExpectation.atLeast(1, .data(.server)).isMet(by: self.packets))
        #expect(PacketExpectation.atLeast(0, .data(.server)).isMet(by: []))
        #expect(PacketExpectation.atLeast(2, .data(.client)).description == "at least 2 × data from client")
    }

    struct CallCase: Sendable, CustomTestStringConvertible {
        var expectation: CallExpectation
        var outcome: CallOutcome
        var state: TCPState? = nil
        var met: Bool
        var testDescription: String { "\(self.expectation) vs \(self.outcome.summary) → \(self.met)" }
    }

    static let callCases: [CallCase] = [
        CallCase(expectation: .succeeds, outcome: .done, met: true),
        CallCase(expectation: .succeeds, outcome: .sent(3), met: true),
        CallCase(expectation: .succeeds, outcome: .endOfStream, met: true),
        CallCase(expectation: .succeeds, outcome: .failed(LabFixtures.error("ECONNRESET")), met: false),
        CallCase(expectation: .sends(5), outcome: .sent(5), met: true),
        CallCase(expectation: .sends(5), outcome: .sent(4), met: false),
        CallCase(expectation: .sends(5), outcome: .received([1, 2, 3, 4, 5]), met: false),
        CallCase(expectation: .receives(2), outcome: .received([1, 2]), met: true),
        CallCase(expectation: .receives(2), outcome: .received([1]), met: false),
        CallCase(expectation: .receives(0), outcome: .endOfStream, met: false),
        CallCase(expectation: .endOfStream, outcome: .endOfStream, met: true),
        CallCase(expectation: .endOfStream, outcome: .received([]), met: false),
        CallCase(expectation: .fails("EPIPE"), outcome: .failed(LabFixtures.error("EPIPE")), met: true),
        CallCase(expectation: .fails("EPIPE"), outcome: .failed(LabFixtures.error("ECONNRESET")), met: false),
        CallCase(expectation: .fails("EPIPE"), outcome: .sent(1), met: false),
        CallCase(expectation: .frames(2), outcome: .frames(2), met: true),
        CallCase(expectation: .frames(2), outcome: .frames(1), met: false),
        CallCase(expectation: .inState(.established), outcome: .inspected, state: .established, met: true),
        CallCase(expectation: .inState(.established), outcome: .inspected, state: .closeWait, met: false),
        CallCase(expectation: .inState(.established), outcome: .inspected, state: nil, met: false),
        CallCase(expectation: .inState(.closeWait), outcome: .done, state: .closeWait, met: true),
        CallCase(
            expectation: .anyOf([.endOfStream, .fails("ECONNRESET")]),
            outcome: .failed(LabFixtures.error("ECONNRESET")), met: true
        ),
        CallCase(expectation: .anyOf([.endOfStream, .fails("ECONNRESET")]), outcome: .endOfStream, met: true),
        CallCase(expectation: .anyOf([.endOfStream, .fails("ECONNRESET")]), outcome: .sent(1), met: false),
        CallCase(
            expectation: .anyOf([.inState(.close), .fails("EPIPE")]), outcome: .inspected, state: .close, met: true
        ),
        CallCase(expectation: .anyOf([]), outcome: .done, met: false),
    ]

    @Test(arguments: Self.callCases)
    func callExpectation(_ test: CallCase) {
        #expect(test.expectation.isMet(by: test.outcome, stateBefore: test.state) == test.met)
    }

    @Test func callExpectationDescriptions() {
        #expect(CallExpectation.fails("EPIPE").description == "EPIPE")
        #expect(CallExpectation.inState(.closeWait).description == "state CLOSE_WAIT")
        #expect(CallExpectation.anyOf([.endOfStream, .fails("ECONNRESET")]).description == "0 (EOF) or ECONNRESET")
    }
}
