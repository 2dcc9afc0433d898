import Testing

@testable import ResetLabSteady

/// A generator with a fixed sequence, so that jitter is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        self.state = self.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return self.state
    }
}

struct ConnectionBackoffTests {
    @Test func delaysGrowByTheMultiplierUpToTheMaximumWithinTheJitter() {
        let parameters = ConnectionBackoff.Parameters(initial: 1, multiplier: 1.6, jitter: 0.2, maximum: 120)
        var backoff = ConnectionBackoff(parameters)
        var generator = SeededGenerator(state: 1)
        var base = 1.0
        for _ in 0..<20 {
            let delay = backoff.nextDelay(using: &generator)
            #expect(delay >= base * 0.8 - 1e-9 && delay <= base * 1.2 + 1e-9, "\(delay) for base \(base)")
            base = min(base * 1.6, 120)
        }
        #expect(base == 120)
        backoff.reset()
        let first = backoff.nextDelay(using: &generator)
        #expect(first >= 0.8 && first <= 1.2)
    }

    @Test func jitterSpreadsClientsThatFailedTogether() {
        var delays: Set<Double> = []
        var generator = SeededGenerator(state: 42)
        for _ in 0..<50 {
            var backoff = ConnectionBackoff()
            delays.insert(backoff.nextDelay(using: &generator))
        }
        #expect(delays.count > 40)
    }

    @Test func theDefaultsReconnectWithinATenthOfASecond() {
        var backoff = ConnectionBackoff()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 { #expect(backoff.nextDelay(using: &generator) <= 0.1) }
    }

    @Test func nonsenseParametersAreClamped() {
        let parameters = ConnectionBackoff.Parameters(initial: -1, multiplier: 0.5, jitter: 7, maximum: 0)
        #expect(parameters.initial > 0)
        #expect(parameters.multiplier == 1)
        #expect(parameters.jitter == 1)
        #expect(parameters.maximum >= parameters.initial)
    }
}

struct LivenessClockTests {
    @Test func heartbeatsGoOutWhenNothingElseDid() {
        var clock = LivenessClock(.init(heartbeatInterval: 2, deadAfter: 10), now: 0)
        #expect(clock.check(now: 1) == .none)
        #expect(clock.check(now: 2) == .sendHeartbeat)
        #expect(clock.check(now: 2.5) == .none, "the heartbeat counts as sent")
        clock.sent(at: 3.9)
        #expect(clock.check(now: 5) == .none)
        #expect(clock.nextCheck(now: 5) == 5.9)
    }

    @Test func aPeerSilentForTheBudgetIsDeadEvenWhileWeSend() {
        var clock = LivenessClock(.init(heartbeatInterval: 2, deadAfter: 10), now: 0)
        clock.heard(at: 4)
        for second in 5...13 { clock.sent(at: Double(second)) }
        #expect(clock.check(now: 13.9) == .none)
        #expect(clock.check(now: 14) == .declareDead(silence: 10))
    }

    @Test func theHeartbeatIsAtMostHalfTheBudget() {
        let parameters = LivenessClock.Parameters(heartbeatInterval: 30, deadAfter: 10)
        #expect(parameters.heartbeatInterval == 5)
    }
}
