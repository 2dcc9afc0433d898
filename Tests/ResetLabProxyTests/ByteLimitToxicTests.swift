import Testing

@testable import ResetLabProxy

@Suite struct ByteLimitToxicTests {
    @Test func limitDataCutsTheCrossingChunkExactlyThenCloses() {
        var stage = ByteLimitToxic(bytes: 10, ending: .close)
        #expect(stage.received(bytes(4), now: ms(1)) == [.forward(bytes(4), at: ms(1))])
        #expect(stage.received(bytes(8, from: 4), now: ms(2)) == [
            .forward(bytes(6, from: 4), at: ms(2)), .closeConnection(at: ms(2)),
        ])
        #expect(stage.received(bytes(3), now: ms(3)) == [])
        #expect(stage.endOfStream(now: ms(4)) == [])
    }

    @Test func limitDataClosesAsSoonAsTheLimitIsReached() {
        var stage = ByteLimitToxic(bytes: 5, ending: .close)
        #expect(stage.received(bytes(5), now: ms(1)) == [.forward(bytes(5), at: ms(1)), .closeConnection(at: ms(1))])
    }

    @Test func limitDataZeroClosesOnTheFirstData() {
        var stage = ByteLimitToxic(bytes: 0, ending: .close)
        #expect(stage.attached(now: ms(0)) == [])
        #expect(stage.received(bytes(3), now: ms(7)) == [.closeConnection(at: ms(7))])
        #expect(stage.received(bytes(3), now: ms(8)) == [])
    }

    @Test func limitDataPassesFinBeforeTheLimit() {
        var stage = ByteLimitToxic(bytes: 100, ending: .close)
        #expect(stage.received(bytes(10), now: ms(1)) == [.forward(bytes(10), at: ms(1))])
        #expect(stage.endOfStream(now: ms(2)) == [.endStream(at: ms(2))])
    }

    @Test func resetAfterBytesResetsAtTheExactByte() {
        // Story 3: 4096-byte sends, reset after 700 000 bytes.
        var stage = ByteLimitToxic(bytes: 700_000, ending: .reset)
        var passed: [UInt8] = []
        var ending: [FaultAction] = []
        for index in 0..<200 {
            let actions = stage.received(bytes(4096, from: index * 4096), now: ms(Int64(index)))
            passed += actions.forwardedBytes
            ending += actions.filter { $0.forwarded == nil }
        }
        #expect(passed == bytes(700_000))
        // 700 000 = 170 × 4096 + 3 680: the 171st send (index 170, at 170 ms) is cut.
        #expect(ending == [.resetConnection(at: ms(170))])
        #expect(stage.endOfStream(now: ms(300)) == [])
    }

    @Test func resetAfterBytesZeroResetsOnTheFirstData() {
        var stage = ByteLimitToxic(bytes: 0, ending: .reset)
        #expect(stage.received([1], now: ms(2)) == [.resetConnection(at: ms(2))])
        #expect(stage.received([1], now: ms(3)) == [])
    }

    @Test func resetAfterBytesAtAChunkBoundary() {
        var stage = ByteLimitToxic(bytes: 3, ending: .reset)
        #expect(stage.received([1, 2, 3], now: ms(1)) == [.forward([1, 2, 3], at: ms(1)), .resetConnection(at: ms(1))])
    }
}

@Suite struct ByteLimitToxicKindTests {
    @Test(arguments: [(ToxicKind.limitData, ByteLimitToxic.Ending.close), (.resetAfterBytes, .reset)])
    func eachKindEndsItsOwnWay(_ kind: ToxicKind, _ ending: ByteLimitToxic.Ending) throws {
        var random = SeededRandomSource(seed: 5)
        let toxic = ToxicDefinition(name: "b", kind: kind, stream: .upstream, toxicity: 1, attributes: [("bytes", 42)])
        let stage = try #require(toxic.makeStage(random: &random) as? ByteLimitToxic)
        #expect(stage.ending == ending)
        #expect(stage.bytes == 42)
    }
}
