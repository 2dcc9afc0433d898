import Foundation
import ResetLabWatch
import Testing

@Suite struct OwnerAttributionTests {
    func event(_ text: String) throws -> KernelEvent {
        try #require(TraceLine(text[...]).flatMap(KernelEvent.init))
    }

    /// The same line with another running task and context flags.
    func event(_ text: String, task: String, flags: String) throws -> KernelEvent {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        return try self.event(([task[...], fields[1], flags[...]] + fields[3...]).joined(separator: " "))
    }

    static let postfix = SocketOwner(pid: 42, command: "postfix", evidence: .socketTable)

    @Test func theSocketTableWinsOverTheRunningTask() throws {
        let close = try self.event(TraceSamples.closeReset)
        let attribution = OwnerAttribution(close) { $0 == close.ends ? Self.postfix : nil }
        #expect(attribution.owner == Self.postfix)
    }

    @Test func aResetSentInsideASystemCallBelongsToTheCaller() throws {
        // TCP_ABORT_ON_CLOSE fires in close(): flags "....." (no interrupt).
        let close = try self.event(TraceSamples.closeReset)
        #expect(!close.inInterrupt)
        let attribution = OwnerAttribution(close) { _ in nil }
        #expect(attribution.owner == SocketOwner(pid: 30025, command: "python3", evidence: .ownSystemCall))
    }

    @Test func onLoopbackASoftirqResetNamesTheSenderOfThePacketAsTheOtherEnd() throws {
        // NO_SOCKET answers a SYN in softirq, in the connecting process's context.
        let refused = try self.event(TraceSamples.refusedReset)
        #expect(refused.inInterrupt)
        let attribution = OwnerAttribution(refused) { _ in nil }
        #expect(attribution.owner == nil)
        #expect(attribution.peer == SocketOwner(pid: 30025, command: "python3", evidence: .sentThePacket))
    }

    @Test func kernelThreadsAndTimersNameNobody() throws {
        let refused = try self.event(TraceSamples.refusedReset, task: "ksoftirqd/1-22", flags: "..s1.")
        #expect(OwnerAttribution(refused) { _ in nil } == OwnerAttribution(owner: nil, peer: nil))
        let idle = try self.event(TraceSamples.refusedReset, task: "<idle>-0", flags: "..s1.")
        #expect(OwnerAttribution(idle) { _ in nil } == OwnerAttribution(owner: nil, peer: nil))
        // A keepalive timeout fires in a timer: whoever was running has nothing to do with it.
        let keepalive = TraceSamples.closeReset.replacingOccurrences(of: "TCP_ABORT_ON_CLOSE", with: "TCP_KEEPALIVE_TIMEOUT")
        let timer = try self.event(keepalive, task: "bash-77", flags: "..s1.")
        #expect(OwnerAttribution(timer) { _ in nil } == OwnerAttribution(owner: nil, peer: nil))
    }

    @Test func theOtherEndIsLookedUpOnlyOnLoopback() throws {
        let received = try self.event(TraceSamples.received)
        let known: (ConnectionEnds) -> SocketOwner? = { $0 == received.ends.reversed ? Self.postfix : nil }
        #expect(OwnerAttribution(received, known: known).peer == Self.postfix)
        let remote = TraceSamples.received.replacingOccurrences(of: "daddr=127.0.0.1", with: "daddr=192.0.2.9")
        let remoteEvent = try self.event(remote, task: "<idle>-0", flags: "..s2.")
        #expect(OwnerAttribution(remoteEvent) { _ in Self.postfix }.peer == nil)
    }
}

@Suite struct OwnerCacheTests {
    static let ends = ConnectionEnds(local: TraceEndpoint(address: "127.0.0.1", port: 5), remote: TraceEndpoint(address: "127.0.0.1", port: 6))
    static let owner = SocketOwner(pid: 1, command: "a", evidence: .socketTable)

    @Test func refreshesSoonAfterANewConnectionAndOtherwiseOnATimer() {
        var cache = OwnerCache(minimumInterval: 0.2, maximumInterval: 1)
        #expect(cache.shouldRefresh(at: 0))
        cache.beginRefresh(at: 0)
        cache.learn([:], at: 0)
        #expect(!cache.shouldRefresh(at: 0.5), "nothing new: wait for the timer")
        #expect(cache.shouldRefresh(at: 1))
        cache.noteNewConnection()
        #expect(!cache.shouldRefresh(at: 0.1), "not more often than the minimum interval")
        #expect(cache.shouldRefresh(at: 0.2))
    }

    @Test func aConnectionNotedWhileTheTableIsReadMakesTheNextReadDue() {
        var cache = OwnerCache(minimumInterval: 0.2)
        cache.beginRefresh(at: 0)
        // The connection appears after the table was dumped, before what was read is taken in.
        cache.noteNewConnection()
        cache.learn([:], at: 0)
        #expect(cache.shouldRefresh(at: 0.2))
    }

    @Test func ownersOutliveTheirSocketsForTheRetention() {
        var cache = OwnerCache(retention: 30)
        cache.learn([Self.ends: Self.owner], at: 0)
        cache.learn([:], at: 29)
        #expect(cache.owner(of: Self.ends) == Self.owner)
        cache.learn([:], at: 31)
        #expect(cache.owner(of: Self.ends) == nil)
    }

    @Test func theLeastRecentlySeenGoFirstBeyondTheCapacity() {
        var cache = OwnerCache(capacity: 2)
        let others = (7...9).map { ConnectionEnds(local: TraceEndpoint(address: "127.0.0.1", port: $0), remote: TraceEndpoint(address: "127.0.0.1", port: 1)) }
        cache.learn([others[0]: Self.owner], at: 1)
        cache.learn([others[1]: Self.owner], at: 2)
        cache.learn([others[2]: Self.owner], at: 3)
        #expect(cache.count == 2)
        #expect(cache.owner(of: others[0]) == nil)
        #expect(cache.owner(of: others[2]) == Self.owner)
    }
}

extension OwnerAttributionTests {
    @Test func noSocketMeansNoOwnerWhoeverHeldTheEndsBefore() throws {
        let refused = try self.event(TraceSamples.refusedReset)
        #expect(OwnerAttribution(refused) { $0 == refused.ends ? Self.postfix : nil }.owner == nil)
    }

    @Test func aTimeWaitSocketsOwnerClosedItEarlier() throws {
        let text = TraceSamples.closeReset.replacingOccurrences(of: "state=TCP_CLOSE reason=TCP_ABORT_ON_CLOSE", with: "state=TCP_TIME_WAIT reason=TCP_TIMEWAIT_SOCKET")
        let timeWait = try self.event(text, task: "client-9", flags: "..s1.")
        let attribution = OwnerAttribution(timeWait) { $0 == timeWait.ends ? Self.postfix : nil }
        #expect(attribution.owner == SocketOwner(pid: 42, command: "postfix", evidence: .closedItEarlier))
        #expect(attribution.peer == SocketOwner(pid: 9, command: "client", evidence: .sentThePacket))
    }
}
