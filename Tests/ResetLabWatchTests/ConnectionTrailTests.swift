import Foundation
import ResetLabWatch
import Testing

@Suite struct ConnectionTrailTests {
    /// A state change of the connection 127.0.0.1:`port` → 127.0.0.1:80.
    func change(port: Int, to state: String, at time: Double) throws -> KernelEvent {
        let text = "  app-1 [000] ..... \(time): inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=\(port) dport=80 saddr=127.0.0.1 daddr=127.0.0.1 saddrv6=::1 daddrv6=::1 oldstate=TCP_ESTABLISHED newstate=\(state)"
        return try #require(TraceLine(text[...]).flatMap(KernelEvent.init))
    }

    @Test func keepsTheLastFewPerConnectionOldestFirst() throws {
        var trail = ConnectionTrail(depth: 2)
        for (index, state) in ["TCP_FIN_WAIT1", "TCP_FIN_WAIT2", "TCP_CLOSE"].enumerated() {
            trail.record(try self.change(port: 1000, to: state, at: Double(index)))
        }
        trail.record(try self.change(port: 2000, to: "TCP_CLOSE_WAIT", at: 5))
        let ends = try self.change(port: 1000, to: "x", at: 0).ends
        #expect(trail.lastState(of: ends) == "TCP_CLOSE")
        #expect(trail.take(for: ends).map(\.state) == ["TCP_FIN_WAIT2", "TCP_CLOSE"])
        #expect(trail.take(for: ends).isEmpty)
        #expect(trail.connectionCount == 1)
    }

    @Test func resetsAreNotPartOfATrail() throws {
        var trail = ConnectionTrail()
        trail.record(try #require(TraceLine(TraceSamples.received[...]).flatMap(KernelEvent.init)))
        trail.record(try #require(TraceLine(TraceSamples.closeReset[...]).flatMap(KernelEvent.init)))
        #expect(trail.connectionCount == 0)
    }

    @Test func theLeastRecentlyActiveConnectionsAreForgotten() throws {
        var trail = ConnectionTrail(depth: 1, capacity: 8)
        for port in 1...9 { trail.record(try self.change(port: port, to: "TCP_CLOSE", at: Double(port))) }
        #expect(trail.connectionCount <= 8)
        #expect(trail.lastState(of: try self.change(port: 1, to: "x", at: 0).ends) == nil)
        #expect(trail.lastState(of: try self.change(port: 9, to: "x", at: 0).ends) == "TCP_CLOSE")
    }
}

@Suite struct WatchFilterTests {
    @Test func addressesPortsAndProcessesMatchAtEitherEnd() throws {
        let event = try #require(TraceLine(TraceSamples.closeReset[...]).flatMap(KernelEvent.init))
        #expect(WatchFilter().matches(event))
        #expect(WatchFilter(ports: [53112]).matches(event))
        #expect(WatchFilter(ports: [49655, 1]).matches(event))
        #expect(!WatchFilter(ports: [1]).matches(event))
        #expect(WatchFilter(hosts: ["127.0.0.1"]).matches(event))
        #expect(!WatchFilter(hosts: ["10.0.0.1"]).matches(event))
        let attribution = OwnerAttribution(owner: nil, peer: SocketOwner(pid: 9, command: "curl", evidence: .socketTable))
        #expect(WatchFilter(pids: [9]).matches(attribution))
        #expect(!WatchFilter(pids: [8]).matches(attribution))
        #expect(WatchFilter(commands: ["curl"]).matches(attribution))
        #expect(!WatchFilter(commands: ["curl"]).matches(OwnerAttribution(owner: nil, peer: nil)))
        #expect(WatchFilter().matches(OwnerAttribution(owner: nil, peer: nil)))
    }
}

@Suite struct TraceBufferStatsTests {
    @Test func overrunsAndDropsAreLost() {
        let text = "entries: 12\noverrun: 3\ncommit overrun: 0\nbytes: 640\noldest event ts:  1.0\nnow ts: 2.0\ndropped events: 4\nread events: 9\n"
        let stats = TraceBufferStats(text)
        #expect(stats.overrun == 3 && stats.dropped == 4 && stats.lost == 7)
        #expect(TraceBufferStats("").lost == 0)
    }
}

@Suite struct SelfAbortFilterTests {
    static let receivedInFinWait2 =
        "         python3-20258   [000] ..s2. 500.011636: tcp_receive_reset: family=AF_INET sport=42523 dport=35454 saddr=127.0.0.1 daddr=127.0.0.1 saddrv6=::ffff:127.0.0.1 daddrv6=::ffff:127.0.0.1 sock_cookie=a1"
    static let abortOnData =
        "         python3-20258   [000] ..s2. 500.011662: tcp_send_reset: skbaddr=0 skaddr=0 src=127.0.0.1:42523 dest=127.0.0.1:35454 state=TCP_CLOSE reason=TCP_ABORT_ON_DATA"

    func event(_ text: String) throws -> KernelEvent {
        try #require(TraceLine(text[...]).flatMap(KernelEvent.init))
    }

    @Test func theKernelsOwnAbortIsNotAReceivedReset() throws {
        var filter = SelfAbortFilter()
        #expect(filter.pass(try self.event(Self.receivedInFinWait2)).isEmpty)
        let shown = filter.pass(try self.event(Self.abortOnData))
        #expect(shown.count == 1)
        #expect(shown.first?.kind == .sentReset(reason: .abortOnData))
        #expect(filter.flushAll().isEmpty)
    }

    @Test func otherConnectionsAndTheEndOfAReadDoNotSplitThePair() throws {
        var filter = SelfAbortFilter()
        #expect(filter.pass(try self.event(Self.receivedInFinWait2)).isEmpty)
        // A reset of another connection in between, within the window: shown, the held one still waits.
        let other = try self.event(TraceSamples.closeReset.replacingOccurrences(of: "19223.327974", with: "500.011650"))
        #expect(filter.pass(other) == [other])
        // The end of a read before the window is over (trace time 500.0117) keeps it too.
        #expect(filter.flush(now: 500.0117).isEmpty)
        #expect(filter.pass(try self.event(Self.abortOnData)).map(\.kind) == [.sentReset(reason: .abortOnData)])
        #expect(filter.flushAll().isEmpty)
    }

    @Test func aGenuineReceivedResetIsShownOnceItsWindowHasPassed() throws {
        var filter = SelfAbortFilter(window: 0.001)
        let received = try self.event(Self.receivedInFinWait2)
        #expect(filter.pass(received).isEmpty)
        #expect(filter.flush(now: received.timestamp + 0.000_5).isEmpty)
        #expect(filter.flush(now: received.timestamp + 0.002) == [received])
        // A later event shows it first, then itself.
        #expect(filter.pass(received).isEmpty)
        let later = try self.event(TraceSamples.closeReset.replacingOccurrences(of: "19223.327974", with: "500.5"))
        #expect(filter.pass(later) == [received, later])
        // An abort on data of another connection does not swallow it.
        #expect(filter.pass(received).isEmpty)
        let elsewhere = try self.event(Self.abortOnData.replacingOccurrences(of: ":42523", with: ":1"))
        #expect(filter.pass(elsewhere) == [elsewhere])
        #expect(filter.flushAll() == [received])
    }
}
