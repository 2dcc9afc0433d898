import Testing

@testable import ResetLabProxy

@Suite struct IdleToxicTests {
    @Test func idleResetFiresOnAnIdleConnection() {
        var stage = IdleToxic(idle: 1000, expiry: .reset)
        #expect(stage.attached(now: ms(0)) == [.wake(at: ms(1000))])
        #expect(stage.timerFired(now: ms(1000)) == [.resetConnection(at: ms(1000))])
        #expect(stage.received([1], now: ms(1100)) == [])
        #expect(stage.timerFired(now: ms(2000)) == [])
    }

    @Test func idleResetReArmsAfterActivityInEitherDirection() {
        var stage = IdleToxic(idle: 1000, expiry: .reset)
        #expect(stage.attached(now: ms(0)) == [.wake(at: ms(1000))])
        #expect(stage.received([1], now: ms(300)) == [.forward([1], at: ms(300))], "data is forwarded, no new wake")
        #expect(stage.timerFired(now: ms(1000)) == [.wake(at: ms(1300))])
        #expect(stage.oppositeReceived(byteCount: 5, now: ms(1200)) == [])
        #expect(stage.timerFired(now: ms(1300)) == [.wake(at: ms(2200))])
        #expect(stage.timerFired(now: ms(1500)) == [], "a stale wake while one is outstanding does nothing")
        #expect(stage.endOfStream(now: ms(2000)) == [.endStream(at: ms(2000))])
        #expect(stage.timerFired(now: ms(2200)) == [.wake(at: ms(3000))], "FIN counts as activity")
        #expect(stage.timerFired(now: ms(3000)) == [.resetConnection(at: ms(3000))])
    }

    @Test func idleResetLateWakeStillResets() {
        var stage = IdleToxic(idle: 10, expiry: .reset)
        _ = stage.attached(now: ms(0))
        #expect(stage.timerFired(now: ms(25)) == [.resetConnection(at: ms(25))])
    }

    @Test func idleDropBlackholesOnceAndThenIgnoresEverything() {
        var stage = IdleToxic(idle: 500, expiry: .drop)
        #expect(stage.attached(now: ms(0)) == [.wake(at: ms(500))])
        #expect(stage.received([1], now: ms(100)) == [.forward([1], at: ms(100))])
        #expect(stage.timerFired(now: ms(500)) == [.wake(at: ms(600))])
        #expect(stage.timerFired(now: ms(600)) == [.blackholeConnection])
        #expect(stage.timerFired(now: ms(700)) == [])
        #expect(stage.received([2], now: ms(800)) == [])
        #expect(stage.oppositeReceived(byteCount: 3, now: ms(900)) == [])
        #expect(stage.endOfStream(now: ms(1000)) == [])
        #expect(stage.attached(now: ms(1100)) == [])
    }

    @Test func idleBelowTheMinimumIsClampedToOneMillisecond() {
        var stage = IdleToxic(idle: 0, expiry: .drop)
        #expect(stage.idle == 1)
        #expect(stage.attached(now: ms(0)) == [.wake(at: ms(1))])
    }
}

@Suite struct IdleToxicKindTests {
    @Test(arguments: [(ToxicKind.idleReset, IdleToxic.Expiry.reset), (.idleDrop, .drop)])
    func eachKindExpiresItsOwnWay(_ kind: ToxicKind, _ expiry: IdleToxic.Expiry) throws {
        var random = SeededRandomSource(seed: 3)
        let toxic = ToxicDefinition(name: "i", kind: kind, stream: .downstream, toxicity: 1, attributes: [("idle", 100)])
        let stage = try #require(toxic.makeStage(random: &random) as? IdleToxic)
        #expect(stage.expiry == expiry)
        #expect(stage.idle == 100)
    }
}
