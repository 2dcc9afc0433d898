import Testing

@testable import ResetLabProxy

@Suite struct ProxyFaultTests {
    @Test func crashRestartResetsStopsAndRestartsAfterTheDuration() {
        var fault = CrashRestartFault(duration: 3000)
        #expect(!fault.isDown)
        #expect(fault.attached(now: ms(1000)) == [.resetAllConnections, .stopListening, .wake(at: ms(4000))])
        #expect(fault.isDown)
        #expect(fault.timerFired(now: ms(3999)) == [])
        #expect(fault.timerFired(now: ms(4000)) == [.startListening])
        #expect(!fault.isDown)
        #expect(fault.timerFired(now: ms(5000)) == [], "restarts once")
        #expect(fault.removed(now: ms(6000)) == [])
    }

    @Test func removingACrashWhileDownStartsListeningAtOnce() {
        var fault = CrashRestartFault(duration: 60_000)
        _ = fault.attached(now: ms(0))
        #expect(fault.removed(now: ms(10)) == [.startListening])
        #expect(fault.timerFired(now: ms(60_000)) == [])
    }

    struct LimitCase: Sendable, CustomTestStringConvertible {
        var connections: Int64
        var refuse: Int64
        var open: Int
        var decision: ConnectionLimitDecision
        var listening: Bool
        var testDescription: String { "limit \(self.connections) refuse \(self.refuse) open \(self.open)" }
    }

    static let limitCases: [LimitCase] = [
        LimitCase(connections: 2, refuse: 0, open: 0, decision: .allow, listening: true),
        LimitCase(connections: 2, refuse: 0, open: 1, decision: .allow, listening: true),
        LimitCase(connections: 2, refuse: 0, open: 2, decision: .reset, listening: true),
        LimitCase(connections: 2, refuse: 0, open: 5, decision: .reset, listening: true),
        LimitCase(connections: 2, refuse: 1, open: 1, decision: .allow, listening: true),
        LimitCase(connections: 2, refuse: 1, open: 2, decision: .reset, listening: false),
        LimitCase(connections: 2, refuse: 1, open: 3, decision: .reset, listening: false),
        LimitCase(connections: 0, refuse: 0, open: 0, decision: .reset, listening: true),
        LimitCase(connections: 0, refuse: 1, open: 0, decision: .reset, listening: false),
    ]

    @Test(arguments: ProxyFaultTests.limitCases)
    func connectionLimitDecisions(_ testCase: LimitCase) {
        var fault = ConnectionLimitFault(connections: testCase.connections, refuse: testCase.refuse)
        #expect(fault.connectionAccepted(openConnections: testCase.open) == testCase.decision)
        #expect(fault.listenerShouldAccept(openConnections: testCase.open) == testCase.listening)
        #expect(fault.rejectedCount == (testCase.decision == .reset ? 1 : 0))
    }

    @Test func refusingLimitResumesListeningBelowTheLimit() {
        let fault = ConnectionLimitFault(connections: 3, refuse: 1)
        let accepting = (0...5).map { fault.listenerShouldAccept(openConnections: $0) }
        #expect(accepting == [true, true, true, false, false, false])
    }
}
