import Testing

@testable import ResetLabProxy

@Suite struct SlicerToxicTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var averageSize: Int64
        var sizeVariation: Int64
        var chunkSize: Int
        /// The bounds every piece but the last must respect.
        var bounds: ClosedRange<Int>
        var testDescription: String { "avg \(self.averageSize) ± \(self.sizeVariation), chunk \(self.chunkSize)" }
    }

    static let cases: [Case] = [
        Case(averageSize: 10, sizeVariation: 0, chunkSize: 1000, bounds: 10...10),
        Case(averageSize: 10, sizeVariation: 3, chunkSize: 1000, bounds: 7...13),
        Case(averageSize: 100, sizeVariation: 50, chunkSize: 4096, bounds: 50...150),
        Case(averageSize: 1, sizeVariation: 0, chunkSize: 50, bounds: 1...1),
        Case(averageSize: 1, sizeVariation: 5, chunkSize: 50, bounds: 1...1),
        Case(averageSize: 5, sizeVariation: 5, chunkSize: 500, bounds: 1...9),
        Case(averageSize: 5, sizeVariation: 1000, chunkSize: 500, bounds: 1...9),
        Case(averageSize: 1000, sizeVariation: 10, chunkSize: 10, bounds: 10...10),
        Case(averageSize: Int64.max, sizeVariation: Int64.max, chunkSize: 300, bounds: 300...300),
    ]

    @Test(arguments: SlicerToxicTests.cases)
    func piecesSumToTheInputAndRespectTheBounds(_ testCase: Case) {
        for seed in UInt64(0)..<100 {
            var random = SeededRandomSource(seed: seed)
            var stage = SlicerToxic(
                averageSize: testCase.averageSize, sizeVariation: testCase.sizeVariation, delay: 0, random: &random
            )
            let input = bytes(testCase.chunkSize, from: Int(seed))
            let actions = stage.received(input, now: ms(1))
            #expect(actions.forwardedBytes == input, "seed \(seed)")
            let sizes = actions.compactMap { $0.forwarded?.bytes.count }
            #expect(sizes.allSatisfy { $0 >= 1 && $0 <= testCase.bounds.upperBound })
            #expect(sizes.dropLast().allSatisfy { testCase.bounds.contains($0) }, "seed \(seed): \(sizes)")
            #expect(actions.forwardInstants.allSatisfy { $0 == ms(1) })
        }
    }

    @Test func piecesAreDelayedMicrosecondsApartAcrossChunks() {
        var random = SeededRandomSource(seed: 9)
        var stage = SlicerToxic(averageSize: 2, sizeVariation: 0, delay: 250, random: &random)
        let first = stage.received([1, 2, 3, 4, 5], now: ms(0))
        #expect(first == [
            .forward([1, 2], at: ns(0)), .forward([3, 4], at: ns(250_000)), .forward([5], at: ns(500_000)),
        ])
        // Arrives while the first chunk is still being sliced: waits `delay` after its last piece.
        let second = stage.received([6, 7], now: ns(100_000))
        #expect(second == [.forward([6, 7], at: ns(750_000))])
        #expect(stage.endOfStream(now: ns(200_000)) == [.endStream(at: ns(750_000))])
        // Later, an idle slicer starts at once.
        #expect(stage.received([8], now: ms(10)) == [.forward([8], at: ms(10))])
        #expect(stage.received([], now: ms(11)) == [])
    }

    @Test func belowMinimumAttributesAreClamped() {
        var random = SeededRandomSource(seed: 2)
        var stage = SlicerToxic(averageSize: 0, sizeVariation: -3, delay: -1, random: &random)
        #expect(stage.sizeRange == 1...1)
        #expect(stage.received([1, 2], now: ms(0)) == [.forward([1], at: ms(0)), .forward([2], at: ms(0))])
    }
}
