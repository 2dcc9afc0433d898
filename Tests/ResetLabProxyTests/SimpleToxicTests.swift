import Testing

@testable import ResetLabProxy

@Suite struct SimpleToxicTests {
    @Test func noopForwardsEverythingAtOnce() {
        var stage = NoopToxic()
        #expect(stage.attached(now: ms(0)) == [])
        #expect(stage.received([1, 2, 3], now: ms(5)) == [.forward([1, 2, 3], at: ms(5))])
        #expect(stage.oppositeReceived(byteCount: 4, now: ms(6)) == [])
        #expect(stage.timerFired(now: ms(7)) == [])
        #expect(stage.endOfStream(now: ms(8)) == [.endStream(at: ms(8))])
    }

    @Test func slowCloseDelaysOnlyTheFin() {
        var stage = SlowCloseToxic(delay: 500)
        #expect(stage.attached(now: ms(0)) == [])
        #expect(stage.received([9], now: ms(10)) == [.forward([9], at: ms(10))])
        #expect(stage.endOfStream(now: ms(20)) == [.endStream(at: ms(520))])
    }

    @Test func timeoutDropsDataSwallowsFinAndClosesAfterTheTimeout() {
        var stage = TimeoutToxic(timeout: 500)
        #expect(stage.attached(now: ms(100)) == [.wake(at: ms(600))])
        #expect(stage.received([1, 2], now: ms(200)) == [])
        #expect(stage.endOfStream(now: ms(300)) == [], "no FIN before the timeout")
        #expect(stage.timerFired(now: ms(599)) == [], "an early wake does nothing")
        #expect(stage.timerFired(now: ms(600)) == [.closeConnection(at: ms(600))])
        #expect(stage.timerFired(now: ms(700)) == [], "closes once")
        #expect(stage.received([3], now: ms(800)) == [])
    }

    @Test func timeoutZeroIsABlackHoleThatNeverCloses() {
        var stage = TimeoutToxic(timeout: 0)
        #expect(stage.attached(now: ms(0)) == [])
        #expect(stage.received([1], now: ms(1)) == [])
        #expect(stage.endOfStream(now: ms(2)) == [])
        #expect(stage.timerFired(now: ms(1_000_000)) == [])
    }

    @Test func resetPeerResetsAnIdleConnectionAtAttachPlusTimeout() {
        var stage = ResetPeerToxic(timeout: 500)
        #expect(stage.attached(now: ms(1000)) == [.wake(at: ms(1500))])
        #expect(stage.timerFired(now: ms(1500)) == [.resetConnection(at: ms(1500))])
        #expect(stage.timerFired(now: ms(1600)) == [])
        #expect(stage.received([1], now: ms(1700)) == [])
        #expect(stage.endOfStream(now: ms(1800)) == [])
    }

    @Test func resetPeerForwardsDataUnchangedBeforeTheReset() {
        var stage = ResetPeerToxic(timeout: 100)
        #expect(stage.attached(now: ms(0)) == [.wake(at: ms(100))])
        #expect(stage.received([1, 2, 3], now: ms(10)) == [.forward([1, 2, 3], at: ms(10))])
        #expect(stage.oppositeReceived(byteCount: 3, now: ms(20)) == [])
        #expect(stage.timerFired(now: ms(50)) == [], "a stray early wake does nothing")
        #expect(stage.timerFired(now: ms(100)) == [.resetConnection(at: ms(100))])
    }

    @Test func resetPeerWithZeroTimeoutResetsRightAway() {
        var stage = ResetPeerToxic(timeout: 0)
        #expect(stage.attached(now: ms(3)) == [.wake(at: ms(3))])
        #expect(stage.timerFired(now: ms(3)) == [.resetConnection(at: ms(3))])
    }
}
