import Testing

@testable import ResetLabTransfer

@Suite struct ResumePlanTests {
    let file = FileIdentity(size: 10_000, modifiedNanoseconds: 1_700_000_000_000_000_000)

    @Test func noPartialFileStartsFresh() {
        #expect(ResumePlan.decide(offering: self.file, state: nil, partialSize: nil) == ResumePlan(offset: 0, reason: .fresh))
    }

    @Test func sameFileResumesFromTheVerifiedOffset() {
        let state = PartialState(identity: self.file, verifiedOffset: 4096)
        #expect(ResumePlan.decide(offering: self.file, state: state, partialSize: 4096) == ResumePlan(offset: 4096, reason: .resumed))
    }

    @Test func bytesPastTheVerifiedOffsetAreNotTrusted() {
        // Killed between writing a chunk and recording it: the extra bytes are sent again.
        let state = PartialState(identity: self.file, verifiedOffset: 4096)
        #expect(ResumePlan.decide(offering: self.file, state: state, partialSize: 6000).offset == 4096)
    }

    @Test func aShorterPartialFileLimitsTheOffset() {
        let state = PartialState(identity: self.file, verifiedOffset: 8192)
        #expect(ResumePlan.decide(offering: self.file, state: state, partialSize: 5000) == ResumePlan(offset: 5000, reason: .resumed))
    }

    @Test(arguments: [
        FileIdentity(size: 10_001, modifiedNanoseconds: 1_700_000_000_000_000_000),
        FileIdentity(size: 10_000, modifiedNanoseconds: 1_700_000_000_000_000_001),
    ])
    func aChangedFileStartsAgain(_ changed: FileIdentity) {
        let state = PartialState(identity: self.file, verifiedOffset: 4096)
        #expect(ResumePlan.decide(offering: changed, state: state, partialSize: 4096) == ResumePlan(offset: 0, reason: .identityChanged))
    }

    @Test func aPartialFileWithoutUsableStateStartsAgain() {
        #expect(ResumePlan.decide(offering: self.file, state: nil, partialSize: 4096) == ResumePlan(offset: 0, reason: .stateUnusable))
        let impossible = PartialState(identity: self.file, verifiedOffset: 20_000)
        #expect(ResumePlan.decide(offering: self.file, state: impossible, partialSize: 20_000).reason == .stateUnusable)
    }

    @Test func stateRoundTripsAndDamageIsDetected() {
        let state = PartialState(identity: self.file, verifiedOffset: 4096)
        let bytes = state.encoded()
        #expect(bytes.count == PartialState.encodedSize)
        #expect(PartialState(decoding: bytes) == state)
        for index in bytes.indices {
            var damaged = bytes
            damaged[index] ^= 0x40
            #expect(PartialState(decoding: damaged) == nil, "byte \(index) flipped")
        }
        #expect(PartialState(decoding: Array(bytes.dropLast())) == nil)
        #expect(PartialState(decoding: []) == nil)
    }

    @Test func chunkSizeShrinksWhenNothingGetsThroughAndGrowsBack() {
        var sizer = ChunkSizer(preferred: 1 << 20, minimum: 64 << 10)
        sizer.connectionEnded(verifiedBytes: 0)
        #expect(sizer.current == 512 << 10)
        sizer.connectionEnded(verifiedBytes: 100)
        sizer.connectionEnded(verifiedBytes: 100)
        sizer.connectionEnded(verifiedBytes: 100)
        #expect(sizer.current == 64 << 10)
        sizer.connectionEnded(verifiedBytes: 0)
        #expect(sizer.current == 64 << 10, "never below the minimum")
        sizer.connectionEnded(verifiedBytes: 64 << 10)
        #expect(sizer.current == 64 << 10, "one chunk through: keep the size")
        sizer.connectionEnded(verifiedBytes: 10 << 20)
        #expect(sizer.current == 128 << 10)
        for _ in 0..<10 { sizer.connectionEnded(verifiedBytes: 100 << 20) }
        #expect(sizer.current == 1 << 20, "never above the preferred size")
    }
}
