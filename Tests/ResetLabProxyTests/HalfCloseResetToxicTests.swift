import Testing

@testable import ResetLabProxy

@Suite struct HalfCloseResetToxicTests {
    /// Story 5 with the default downstream stream: the client gets FIN, sends two bytes, and gets RST.
    @Test func finThenResetOnTheOtherSidesData() {
        var stage = HalfCloseResetToxic(delay: 200)
        #expect(stage.attached(now: ms(0)) == [.wake(at: ms(200))])
        #expect(stage.oppositeReceived(byteCount: 1, now: ms(10)) == [], "the client's first byte passes")
        #expect(stage.received([7], now: ms(20)) == [.forward([7], at: ms(20))])
        #expect(stage.timerFired(now: ms(200)) == [.endStream(at: ms(200))], "FIN to the client")
        #expect(stage.received([8], now: ms(210)) == [], "the closed side sends nothing more")
        #expect(stage.endOfStream(now: ms(220)) == [], "no second FIN")
        #expect(stage.oppositeReceived(byteCount: 2, now: ms(300)) == [.resetConnection(at: ms(300))])
        #expect(stage.oppositeReceived(byteCount: 2, now: ms(310)) == [], "reset once")
        #expect(stage.timerFired(now: ms(400)) == [])
    }

    @Test func zeroDelaySendsTheFinOnAttach() {
        var stage = HalfCloseResetToxic(delay: 0)
        #expect(stage.attached(now: ms(5)) == [.endStream(at: ms(5))])
        #expect(stage.oppositeReceived(byteCount: 0, now: ms(6)) == [], "no bytes, no reset")
        #expect(stage.oppositeReceived(byteCount: 1, now: ms(7)) == [.resetConnection(at: ms(7))])
    }

    @Test func anEarlyWakeDoesNothing() {
        var stage = HalfCloseResetToxic(delay: 100)
        _ = stage.attached(now: ms(0))
        #expect(stage.timerFired(now: ms(99)) == [])
        #expect(stage.oppositeReceived(byteCount: 1, now: ms(99)) == [])
        #expect(stage.timerFired(now: ms(100)) == [.endStream(at: ms(100))])
    }

    @Test func aStreamThatEndsByItselfIsStillArmedAtTheDelay() {
        var stage = HalfCloseResetToxic(delay: 100)
        _ = stage.attached(now: ms(0))
        #expect(stage.endOfStream(now: ms(50)) == [.endStream(at: ms(50))])
        #expect(stage.oppositeReceived(byteCount: 1, now: ms(60)) == [], "not armed before the delay")
        #expect(stage.timerFired(now: ms(100)) == [], "FIN already sent")
        #expect(stage.oppositeReceived(byteCount: 1, now: ms(110)) == [.resetConnection(at: ms(110))])
    }
}
