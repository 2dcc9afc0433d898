import Foundation
import ResetLabWatch
import ResetLabWatchRuntime
import Testing

/// The kernel's own account of resets on loopback, through a private tracefs instance. Needs root; under
/// CI (as root) these run, and without root outside CI they are skipped.
@Suite struct TracefsSessionTests {
    static let enabled = getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true"

    /// Collects events on a thread of its own until `wanted` matches one or `seconds` pass.
    static func first(in session: TracefsSession, within seconds: Double, where wanted: @escaping @Sendable (KernelEvent) -> Bool) -> KernelEvent? {
        let found = NSLock()
        nonisolated(unsafe) var event: KernelEvent?
        let reader = Thread {
            session.read { candidate in
                guard wanted(candidate) else { return true }
                found.withLock { event = candidate }
                return false
            }
        }
        reader.start()
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, found.withLock({ event == nil }) { Thread.sleep(forTimeInterval: 0.01) }
        return found.withLock { event }
    }

    @Test(.enabled(if: enabled)) func aRefusedConnectIsReportedWithTheKernelsReason() async throws {
        let session = try TracefsSession()
        defer { session.close() }
        #expect(session.missingEvents.isEmpty, "this machine kind has all four tracepoints")
        #expect(session.reportsReasons, "kernel 6.18 prints reason= in tcp_send_reset")
        let refusing = try LoopbackSocket.bound(family: AF_INET)
        defer { close(refusing.fd) }
        let port = refusing.port
        // Blocking work (the connect, reading the trace) runs off the cooperative pool.
        let (attempt, event) = try await Self.onThread { () -> ((localPort: Int, error: Int32), KernelEvent?) in
            let attempt = LoopbackSocket.connect(family: AF_INET, port: port)
            let event = Self.first(in: session, within: 20) { $0.local.port == port && $0.kind != .receivedReset }
            return (attempt, event)
        }
        #expect(attempt.error == ECONNREFUSED)
        let reset = try #require(event, "no tcp_send_reset from port \(port)")
        #expect(reset.kind == .sentReset(reason: .noSocket))
        #expect(reset.remote.port == attempt.localPort)
        #expect(reset.state == "UNKNOWN")
    }

    /// The state changes a refused connect makes (CLOSE → SYN_SENT → CLOSE) come with `.all`, and the
    /// kernel keeps them back with `.connections`: the reset is the first event of that port.
    @Test(.enabled(if: enabled), arguments: [true, false])
    func stateChangesFromAndToCloseAreFilteredInTheKernel(all: Bool) async throws {
        let session = try TracefsSession(stateChanges: all ? .all : .connections)
        defer { session.close() }
        let refusing = try LoopbackSocket.bound(family: AF_INET)
        defer { close(refusing.fd) }
        let port = refusing.port
        let event = try await Self.onThread { () -> KernelEvent? in
            _ = LoopbackSocket.connect(family: AF_INET, port: port)
            return Self.first(in: session, within: 20) { $0.remote.port == port }
        }
        let first = try #require(event, "no event of the connect to \(port)")
        #expect(first.kind == (all ? .stateChanged(from: "TCP_CLOSE", to: "TCP_SYN_SENT") : .receivedReset))
    }

    /// A reader far behind when close() comes still reads everything that happened before it (here 1.5 s
    /// of backlog), then stops.
    @Test(.enabled(if: enabled)) func aSlowReaderCatchesUpToTheCloseBeforeItStops() async throws {
        let session = try TracefsSession(stateChanges: .connections)
        #expect(session.clockIsMonotonic)
        let refusing = try LoopbackSocket.bound(family: AF_INET)
        defer { close(refusing.fd) }
        let port = refusing.port
        let seen = try await Self.onThread { () -> Int in
            for _ in 0..<150 { _ = LoopbackSocket.connect(family: AF_INET, port: port) }
            let counted = NSLock()
            nonisolated(unsafe) var resets = 0
            let reader = Thread {
                session.read { event in
                    guard event.local.port == port, case .sentReset = event.kind else { return true }
                    counted.withLock { resets += 1 }
                    Thread.sleep(forTimeInterval: 0.01)  // a slow reader: 150 resets take 1.5 s
                    return true
                }
            }
            reader.start()
            Thread.sleep(forTimeInterval: 0.1)
            session.close()
            // The read ends once it has reached the close (within its 5 s limit); the instance goes with it.
            let deadline = Date().addingTimeInterval(10)
            while FileManager.default.fileExists(atPath: session.directory) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            return counted.withLock { resets }
        }
        #expect(seen == 150)
        #expect(!FileManager.default.fileExists(atPath: session.directory))
    }

    /// A slow reader with a backlog is never told it has read through a time it has not reached: after
    /// `batchEnd(t)`, no event stamped before `t` comes. (The watch shows a held received reset once its
    /// wait has passed by that time; a time from the reader's clock made a slow reader show it before
    /// reading the self-abort that cancels it.)
    @Test(.enabled(if: enabled)) func aSlowReaderIsOnlyToldItReadThroughWhatItRead() async throws {
        let session = try TracefsSession(stateChanges: .connections)
        let refusing = try LoopbackSocket.bound(family: AF_INET)
        defer { close(refusing.fd) }
        let port = refusing.port
        enum Step: Sendable {
            case event(Double)
            case readThrough(Double)
        }
        let steps = try await Self.onThread { () -> [Step] in
            for _ in 0..<100 { _ = LoopbackSocket.connect(family: AF_INET, port: port) }
            let lock = NSLock()
            nonisolated(unsafe) var steps: [Step] = []
            let reader = Thread {
                session.read(batchEnd: { time in
                    if let time { lock.withLock { steps.append(.readThrough(time)) } }
                }) { event in
                    guard event.local.port == port, case .sentReset = event.kind else { return true }
                    lock.withLock { steps.append(.event(event.timestamp)) }
                    Thread.sleep(forTimeInterval: 0.002)  // slower than the connects: a backlog builds
                    return true
                }
            }
            reader.start()
            Thread.sleep(forTimeInterval: 0.05)
            for _ in 0..<100 { _ = LoopbackSocket.connect(family: AF_INET, port: port) }
            // Read until all 200 came and the reader said it had read through after the last.
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let done = lock.withLock {
                    steps.count { if case .event = $0 { true } else { false } } == 200
                        && { if case .readThrough = steps.last { true } else { false } }()
                }
                if done { break }
                Thread.sleep(forTimeInterval: 0.01)
            }
            session.close()
            return lock.withLock { steps }
        }
        let times = steps.compactMap { if case .event(let time) = $0 { time } else { nil } }
        #expect(times.count == 200)
        var readThrough = -Double.infinity
        var early: [Double] = []
        for step in steps {
            switch step {
            case .readThrough(let time): readThrough = max(readThrough, time)
            // 0.1 ms of slack for an event being written while the buffer was looked at.
            case .event(let time): if time < readThrough - 0.0001 { early.append(readThrough - time) }
            }
        }
        #expect(early.count == 0, "\(early.count) events stamped before a time the reader was said to have read through, by up to \(early.max() ?? 0) s")
        #expect(readThrough >= times.max() ?? .infinity, "the reader said it read through the last event")
        #expect(try await Self.removed(session.directory))
    }

    @Test(.enabled(if: enabled)) func twoSessionsAtOnceEachSeeTheEventAndLeaveNothingBehind() async throws {
        let first = try TracefsSession()
        let second = try TracefsSession()
        #expect(first.directory != second.directory)
        let refusing = try LoopbackSocket.bound(family: AF_INET)
        defer { close(refusing.fd) }
        let port = refusing.port
        let match: @Sendable (KernelEvent) -> Bool = { $0.local.port == port && $0.kind == .sentReset(reason: .noSocket) }
        let (seenByFirst, seenBySecond) = try await Self.onThread { () -> (Bool, Bool) in
            _ = LoopbackSocket.connect(family: AF_INET, port: port)
            return (Self.first(in: first, within: 20, where: match) != nil, Self.first(in: second, within: 20, where: match) != nil)
        }
        #expect(seenByFirst)
        #expect(seenBySecond)
        first.close()
        #expect(try await Self.removed(first.directory))
        #expect(FileManager.default.fileExists(atPath: second.directory), "closing one session leaves the other alone")
        second.close()
        #expect(try await Self.removed(second.directory))
    }

    /// Whether `directory` disappears within 2 s (a read in progress removes it when it notices the close).
    static func removed(_ directory: String) async throws -> Bool {
        for _ in 0..<200 {
            if !FileManager.default.fileExists(atPath: directory) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Runs blocking work on a thread of its own, off the cooperative pool other suites need. Record
    /// expectations in the caller.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

@Suite struct SocketOwnersTests {
    @Test func aConnectedSocketIsFoundInThisProcess() throws {
        let (listener, port) = try LoopbackSocket.listening(family: AF_INET)
        defer { close(listener) }
        let (client, clientPort) = try LoopbackSocket.connected(family: AF_INET, port: port)
        defer { close(client) }
        let clientEnd = TraceEndpoint(address: "127.0.0.1", port: clientPort)
        let serverEnd = TraceEndpoint(address: "127.0.0.1", port: port)
        // The table is read when SocketOwners starts.
        let owners = SocketOwners()
        let owner = owners.owner(of: ConnectionEnds(local: clientEnd, remote: serverEnd))
        let command = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(owner == SocketOwner(pid: getpid(), command: command, evidence: .socketTable), "\(clientEnd)")
        #expect(owners.owner(of: ConnectionEnds(local: TraceEndpoint(address: "127.0.0.1", port: 1), remote: clientEnd)) == nil)
    }
}
