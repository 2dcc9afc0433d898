import ResetLabWatch
import Testing

@Suite struct WatchLineTests {
    func event(_ text: String) throws -> KernelEvent {
        try #require(TraceLine(text[...]).flatMap(KernelEvent.init))
    }

    static let nobody = OwnerAttribution(owner: nil, peer: nil)

    @Test func aSentResetSaysWhyAndWhatThePeerSees() throws {
        let line = WatchLine(event: try self.event(TraceSamples.refusedReset), wallTime: 3_600 * 8 + 61.25, attribution: Self.nobody)
        #expect(line.text.hasPrefix("08:01:01.250000 sent       127.0.0.1:1 → 127.0.0.1:51446  no socket (nothing listens on or holds this port) in UNKNOWN"))
        #expect(line.text.contains("NO_SOCKET: no socket matched the packet"))
        #expect(line.text.contains("the peer sees: connect: ECONNREFUSED"))
        #expect(line.text.contains("(resetlab explain ECONNREFUSED)"))
        let json = line.json.serialized()
        #expect(json.contains(#""direction":"sent""#))
        #expect(json.contains(#""reason":"NO_SOCKET""#))
        #expect(json.contains(#""explain":"ECONNREFUSED""#))
        #expect(json.contains(#""process":null"#))
    }

    @Test func aReceivedResetNamesBothProcessesWithTheirEvidence() throws {
        let attribution = OwnerAttribution(
            owner: SocketOwner(pid: 42, command: "postfix", evidence: .socketTable),
            peer: SocketOwner(pid: 7, command: "nginx", evidence: .sentThePacket)
        )
        let line = WatchLine(event: try self.event(TraceSamples.received), wallTime: 0, attribution: attribution)
        #expect(line.text.contains("postfix (pid 42) [socket table]"))
        #expect(line.text.contains("other end on this host: nginx (pid 7) [sent the packet (loopback)]"))
        #expect(line.text.contains("ECONNRESET"))
        let json = line.json.serialized()
        #expect(json.contains(#""process":{"pid":42,"command":"postfix","evidence":"socket table"}"#))
        #expect(json.contains(#""peerProcess":{"pid":7,"command":"nginx","evidence":"sent the packet (loopback)"}"#))
    }

    @Test func aResetReceivedInTheConnectPhaseIsARefusal() throws {
        var event = try self.event(TraceSamples.received)
        event.state = "TCP_SYN_SENT"
        #expect(WatchLine(event: event, wallTime: 0, attribution: Self.nobody).text.contains("ECONNREFUSED (WSAECONNREFUSED 10061)"))
        event.state = "TCP_FIN_WAIT2"
        #expect(WatchLine(event: event, wallTime: 0, attribution: Self.nobody).text.contains("WSAECONNABORTED 10053"))
    }

    @Test func theTrailIsPrintedWithTheReset() throws {
        let reset = try self.event(TraceSamples.received)
        let established = try self.event(TraceSamples.stateChange)
        // The trail's times are shifted to wall time by the reset's own offset (wall minus trace time).
        let line = WatchLine(event: reset, wallTime: reset.timestamp + 100, attribution: Self.nobody, trail: [established])
        #expect(line.text.contains("before it:\n      "))
        #expect(line.text.contains("TCP_ESTABLISHED → TCP_CLOSE"))
        let json = line.json.serialized()
        #expect(json.contains(#""before":[{"time":"#))
        #expect(json.contains(#""event":"state","from":"TCP_ESTABLISHED","to":"TCP_CLOSE"}]"#))
        #expect(!WatchLine(event: reset, wallTime: 0, attribution: Self.nobody).json.serialized().contains("before"))
    }

    @Test func aResetOnAnOldKernelSaysTheReasonIsMissing() throws {
        let old = TraceSamples.closeReset.split(separator: " ").filter { !$0.hasPrefix("reason=") }.joined(separator: " ")
        let line = WatchLine(event: try self.event(old), wallTime: 0, attribution: Self.nobody)
        #expect(line.text.contains("not reported by this kernel"))
        #expect(line.json.serialized().contains(#""reason":null"#))
    }

    @Test func theSummaryCountsResetsOnly() throws {
        let nginx = OwnerAttribution(owner: SocketOwner(pid: 7, command: "nginx", evidence: .ownSystemCall), peer: nil)
        let curlAtTheOtherEnd = OwnerAttribution(owner: nil, peer: SocketOwner(pid: 9, command: "curl", evidence: .sentThePacket))
        var summary = WatchSummary()
        summary.add(WatchLine(event: try self.event(TraceSamples.refusedReset), wallTime: 0, attribution: curlAtTheOtherEnd))
        summary.add(WatchLine(event: try self.event(TraceSamples.closeReset), wallTime: 0, attribution: nginx))
        summary.add(WatchLine(event: try self.event(TraceSamples.closeReset), wallTime: 0, attribution: nginx))
        summary.add(WatchLine(event: try self.event(TraceSamples.received), wallTime: 0, attribution: Self.nobody))
        summary.add(WatchLine(event: try self.event(TraceSamples.stateChange), wallTime: 0, attribution: nginx))
        #expect(summary.sent == 3)
        #expect(summary.received == 1)
        #expect(summary.byReason == ["NO_SOCKET": 1, "TCP_ABORT_ON_CLOSE": 2])
        #expect(summary.byProcess == ["nginx (pid 7)": 2, "curl (pid 9) at the other end": 1, "unknown": 1])
        #expect(summary.text.contains("by reason:\n        2  TCP_ABORT_ON_CLOSE\n        1  NO_SOCKET"))
    }
}
