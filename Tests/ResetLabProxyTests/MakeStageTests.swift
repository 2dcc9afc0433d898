import Testing

@testable import ResetLabProxy

@Suite struct MakeStageTests {
    private func definition(_ kind: ToxicKind, toxicity: Double = 1, _ attributes: [(String, Int64)] = [])
        -> ToxicDefinition
    {
        ToxicDefinition(name: "t", kind: kind, stream: .downstream, toxicity: toxicity, attributes: attributes)
    }

    static let expectedTypes: [(ToxicKind, any ToxicStage.Type)] = [
        (.latency, LatencyToxic.self), (.bandwidth, BandwidthToxic.self), (.slowClose, SlowCloseToxic.self),
        (.timeout, TimeoutToxic.self), (.resetPeer, ResetPeerToxic.self), (.slicer, SlicerToxic.self),
        (.limitData, ByteLimitToxic.self), (.noop, NoopToxic.self), (.halfCloseReset, HalfCloseResetToxic.self),
        (.crashRestart, NoopToxic.self), (.idleReset, IdleToxic.self), (.idleDrop, IdleToxic.self),
        (.maxConnections, NoopToxic.self), (.resetAfterBytes, ByteLimitToxic.self),
    ]

    @Test func toxicityOneGivesEveryKindItsStage() {
        #expect(Self.expectedTypes.map(\.0) == ToxicKind.allCases)
        var random = SeededRandomSource(seed: 1)
        for (kind, type) in Self.expectedTypes {
            let stage = self.definition(kind).makeStage(random: &random)
            #expect(ObjectIdentifier(Swift.type(of: stage)) == ObjectIdentifier(type), "\(kind)")
        }
    }

    @Test func toxicityZeroGivesNoop() {
        var random = SeededRandomSource(seed: 1)
        for kind in ToxicKind.allCases {
            #expect(self.definition(kind, toxicity: 0).makeStage(random: &random) is NoopToxic)
        }
    }

    @Test func toxicityHalfAppliesToRoughlyHalfTheConnections() {
        var random = SeededRandomSource(seed: 42)
        let toxic = self.definition(.resetPeer, toxicity: 0.5)
        let applied = (0..<1000).count { _ in !(toxic.makeStage(random: &random) is NoopToxic) }
        #expect((430...570).contains(applied), "\(applied)")
    }

    @Test func attributesReachTheStage() {
        var random = SeededRandomSource(seed: 1)
        var stage = self.definition(.latency, [("latency", 250), ("jitter", 0)]).makeStage(random: &random)
        #expect(stage.received([1], now: ms(0)) == [.forward([1], at: ms(250))])
        var limit = self.definition(.limitData, [("bytes", 2)]).makeStage(random: &random)
        #expect(limit.received([1, 2, 3], now: ms(1)) == [.forward([1, 2], at: ms(1)), .closeConnection(at: ms(1))])
        // Defaults fill in missing attributes: slicer's average_size defaults to 1.
        var slicer = self.definition(.slicer).makeStage(random: &random)
        #expect(slicer.received([1, 2], now: ms(2)) == [.forward([1], at: ms(2)), .forward([2], at: ms(2))])
        var idle = self.definition(.idleReset).makeStage(random: &random)
        #expect(idle.attached(now: ms(0)) == [.wake(at: ms(1000))])
    }

    @Test func sameSeedSameStages() {
        func schedule(seed: UInt64) -> [ProxyInstant] {
            var random = SeededRandomSource(seed: seed)
            var stage = self.definition(.latency, [("latency", 100), ("jitter", 50)]).makeStage(random: &random)
            return (0..<10).flatMap { stage.received([0], now: ms(Int64($0))).forwardInstants }
        }
        #expect(schedule(seed: 5) == schedule(seed: 5))
    }
}
