import Testing

@testable import ResetLabProxy

@Suite struct LatencyToxicTests {
    @Test func withoutJitterEveryChunkIsDelayedExactly() {
        var random = SeededRandomSource(seed: 1)
        var stage = LatencyToxic(latency: 100, jitter: 0, random: &random)
        #expect(stage.attached(now: ms(0)) == [])
        #expect(stage.received([1, 2], now: ms(0)) == [.forward([1, 2], at: ms(100))])
        #expect(stage.received([3], now: ms(50)) == [.forward([3], at: ms(150))])
        #expect(stage.oppositeReceived(byteCount: 10, now: ms(60)) == [])
        #expect(stage.endOfStream(now: ms(60)) == [.endStream(at: ms(150))], "FIN follows the last chunk")
        #expect(stage.endOfStream(now: ms(500)) == [.endStream(at: ms(500))])
        #expect(stage.timerFired(now: ms(500)) == [])
    }

    @Test func jitterStaysInRangeAndNeverReorders() {
        for seed in UInt64(0)..<50 {
            var random = SeededRandomSource(seed: seed)
            var stage = LatencyToxic(latency: 100, jitter: 40, random: &random)
            var instants: [ProxyInstant] = []
            var sawJitter = false
            for index in 0..<200 {
                let now = ms(Int64(index))
                let actions = stage.received([UInt8(truncatingIfNeeded: index)], now: now)
                #expect(actions.count == 1)
                guard let instant = actions.forwardInstants.first else { continue }
                #expect(instant <= now.adding(milliseconds: 140))
                #expect(instant >= now.adding(milliseconds: 60) || instant == instants.last)
                sawJitter = sawJitter || instant != now.adding(milliseconds: 100)
                instants.append(instant)
            }
            #expect(instants.isNonDecreasing, "seed \(seed)")
            #expect(sawJitter)
            let end = stage.endOfStream(now: ms(200))
            #expect(end == [.endStream(at: max(ms(200), instants.last ?? ms(200)))])
        }
    }

    @Test func jitterLargerThanLatencyNeverForwardsBeforeReading() {
        var random = SeededRandomSource(seed: 7)
        var stage = LatencyToxic(latency: 0, jitter: 1000, random: &random)
        var previous = ms(0)
        for index in 0..<100 {
            let now = ms(Int64(index) * 10)
            let instant = stage.received([0], now: now).forwardInstants.first ?? .zero
            #expect(instant >= now)
            #expect(instant >= previous)
            previous = instant
        }
    }

    @Test func sameSeedSameSchedule() {
        func schedule(seed: UInt64) -> [ProxyInstant] {
            var random = SeededRandomSource(seed: seed)
            var stage = LatencyToxic(latency: 10, jitter: 5, random: &random)
            return (0..<20).flatMap { stage.received([0], now: ms(Int64($0) * 100)).forwardInstants }
        }
        #expect(schedule(seed: 3) == schedule(seed: 3))
        #expect(schedule(seed: 3) != schedule(seed: 4))
    }

    @Test func hugeAttributesSaturateInsteadOfTrapping() {
        var random = SeededRandomSource(seed: 1)
        var stage = LatencyToxic(latency: Int64.max, jitter: Int64.max, random: &random)
        let instant = stage.received([0], now: ms(5)).forwardInstants.first ?? .zero
        #expect(instant >= ms(5))
    }
}
