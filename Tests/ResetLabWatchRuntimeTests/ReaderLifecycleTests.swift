@testable import ResetLabWatchRuntime
import Testing

@Suite struct ReaderLifecycleTests {
    @Test func closeWithoutAReadReleasesAtOnceAndOnlyOnce() {
        let lifecycle = ReaderLifecycle()
        var releases = 0
        #expect(lifecycle.whileOpen { 1 } == 1)
        lifecycle.close { releases += 1 }
        lifecycle.close { releases += 1 }
        #expect(releases == 1)
        #expect(lifecycle.isClosed)
        #expect(!lifecycle.beginRead(), "no read starts once closed")
        #expect(lifecycle.whileOpen { 1 } == nil)
    }

    @Test func aCloseDuringAReadIsReleasedByTheReadAsItEnds() {
        let lifecycle = ReaderLifecycle()
        var releases: [String] = []
        #expect(lifecycle.beginRead())
        #expect(!lifecycle.beginRead(), "one read at a time")
        lifecycle.close { releases.append("close") }
        #expect(releases.isEmpty, "the running read still uses the descriptor")
        #expect(lifecycle.whileOpen { 1 } == 1)
        lifecycle.endRead { releases.append("read") }
        #expect(releases == ["read"])
        #expect(lifecycle.whileOpen { 1 } == nil)
    }

    @Test func aReadThatEndsBeforeAnyCloseReleasesNothing() {
        let lifecycle = ReaderLifecycle()
        var releases = 0
        #expect(lifecycle.beginRead())
        lifecycle.endRead { releases += 1 }
        #expect(releases == 0)
        #expect(lifecycle.beginRead(), "another read may start")
    }
}
