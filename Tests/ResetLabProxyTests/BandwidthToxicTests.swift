import Testing

@testable import ResetLabProxy

@Suite struct BandwidthToxicTests {
    @Test func oneMegabyteAtHundredKilobytesPerSecondTakesTenSeconds() {
        var stage = BandwidthToxic(rate: 100)
        let actions = stage.received(bytes(1_000_000), now: ms(0))
        #expect(actions.count == 100)
        #expect(actions.forwardedBytes == bytes(1_000_000))
        #expect(actions.allSatisfy { ($0.forwarded?.bytes.count ?? 0) <= 10_000 }, "slices of ≤ 100 ms")
        let instants = actions.forwardInstants
        #expect(instants.first == ms(100))
        #expect(zip(instants, instants.dropFirst()).allSatisfy { $1.nanoseconds - $0.nanoseconds <= 100_000_000 })
        #expect(instants.last == ms(10_000))
        #expect(stage.endOfStream(now: ms(1)) == [.endStream(at: ms(10_000))])
    }

    @Test func manySmallOddChunksDoNotDrift() {
        // 1 MB in 4096-byte sends (story 3's client) arriving faster than the link: the last byte leaves at
        // 10 s ± 1 ms, and every instant is non-decreasing.
        var stage = BandwidthToxic(rate: 100)
        var sent = 0
        var instants: [ProxyInstant] = []
        var now = ms(0)
        while sent < 1_000_000 {
            let size = min(4096, 1_000_000 - sent)
            instants += stage.received(bytes(size, from: sent), now: now).forwardInstants
            sent += size
            now = now.adding(nanoseconds: 333_333)
        }
        #expect(instants.isNonDecreasing)
        let last = instants.last ?? .zero
        #expect(abs(last.nanoseconds - ms(10_000).nanoseconds) <= 1_000_000)
    }

    @Test func anIdleLinkStartsWhenTheChunkArrives() {
        var stage = BandwidthToxic(rate: 10)
        #expect(stage.received(bytes(5), now: ms(0)) == [.forward(bytes(5), at: ns(500_000))])
        // Arrives while the link is busy: queued behind the first chunk.
        #expect(stage.received(bytes(10), now: ns(100_000)) == [.forward(bytes(10), at: ns(1_500_000))])
        // Arrives after the link went idle: starts at its own arrival.
        #expect(stage.received(bytes(1), now: ms(50)) == [.forward(bytes(1), at: ns(50_100_000))])
        #expect(stage.endOfStream(now: ms(60)) == [.endStream(at: ms(60))])
    }

    @Test func oddRatesRoundUpToTheNanosecond() {
        var stage = BandwidthToxic(rate: 3)
        // 1 byte at 3 B/ms = 333 333.3 ns → 333 334; 3 bytes in total = exactly 1 ms.
        #expect(stage.received([1], now: ms(0)) == [.forward([1], at: ns(333_334))])
        #expect(stage.received([2, 3], now: ms(0)) == [.forward([2, 3], at: ms(1))])
    }

    @Test func rateZeroStallsDataAndEndOfStreamForever() {
        var stage = BandwidthToxic(rate: 0)
        #expect(stage.received(bytes(1000), now: ms(0)) == [])
        #expect(stage.received(bytes(24), now: ms(10_000)) == [])
        #expect(stage.endOfStream(now: ms(20_000)) == [])
        #expect(stage.timerFired(now: ms(30_000)) == [])
        #expect(stage.heldByteCount == 1024)
    }

    @Test func negativeAndHugeRatesDoNotTrap() {
        var negative = BandwidthToxic(rate: -5)
        #expect(negative.rate == 0)
        #expect(negative.received(bytes(10), now: ms(0)) == [])
        var huge = BandwidthToxic(rate: Int64.max)
        #expect(huge.received(bytes(10), now: ms(0)) == [.forward(bytes(10), at: ns(1))])
    }
}
