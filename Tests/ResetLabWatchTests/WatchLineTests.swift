import ResetLabWatch
import Testing

@Suite struct WatchLineTests {
    func event(_ text: String) throws -> KernelEvent {
        try #require(TraceLine(text[...]).flatMap(KernelEvent.init))
    }

    @Test func aSentResetSaysWhyAndWhatThePeerSees() throws {
        let line = WatchLine(event: try self.event(TraceSamples.refusedReset), wallTime: 3_600 * 8 + 61.25, owner: nil)
        #expect(line.text.hasPrefix("08:01:01.250000 sent       127.0.0.1:1 → 127.0.0.1:51446  no socket (nothing owns this port) in UNKNOWN"))
        #expect(line.text.contains("NO_SOCKET: no socket matched the packet"))
        #expect(line.text.contains("the peer sees: connect: ECONNREFUSED"))
        let json = line.json.serialized()
        #expect(json.contains(#""direction":"sent""#))
        #expect(json.contains(#""reason":"NO_SOCKET""#))
        #expect(json.contains(#""process":null"#))
    }

    @Test func aReceivedResetNamesItsOwnerWhenFound() throws {
        let line = WatchLine(event: try self.event(TraceSamples.received), wallTime: 0, owner: (pid: 42, command: "postfix"))
        #expect(line.text.contains("postfix (pid 42)"))
        #expect(line.text.contains("ECONNRESET"))
        #expect(line.json.serialized().contains(#""process":{"pid":42,"command":"postfix"}"#))
    }

    @Test func aResetOnAnOldKernelSaysTheReasonIsMissing() throws {
        let old = TraceSamples.closeReset.split(separator: " ").filter { !$0.hasPrefix("reason=") }.joined(separator: " ")
        let line = WatchLine(event: try self.event(old), wallTime: 0, owner: nil)
        #expect(line.text.contains("not reported by this kernel"))
        #expect(line.json.serialized().contains(#""reason":null"#))
    }

    @Test func theSummaryCountsResetsOnly() throws {
        var summary = WatchSummary()
        summary.add(WatchLine(event: try self.event(TraceSamples.refusedReset), wallTime: 0, owner: nil))
        summary.add(WatchLine(event: try self.event(TraceSamples.closeReset), wallTime: 0, owner: (pid: 7, command: "nginx")))
        summary.add(WatchLine(event: try self.event(TraceSamples.closeReset), wallTime: 0, owner: (pid: 7, command: "nginx")))
        summary.add(WatchLine(event: try self.event(TraceSamples.received), wallTime: 0, owner: nil))
        summary.add(WatchLine(event: try self.event(TraceSamples.stateChange), wallTime: 0, owner: nil))
        #expect(summary.sent == 3)
        #expect(summary.received == 1)
        #expect(summary.byReason == ["NO_SOCKET": 1, "TCP_ABORT_ON_CLOSE": 2])
        #expect(summary.byProcess == ["nginx (pid 7)": 2, "unknown": 2])
        #expect(summary.text.contains("by reason:\n        2  TCP_ABORT_ON_CLOSE\n        1  NO_SOCKET"))
    }
}
