import CResetLabLinux
import Foundation
import ResetLabLab
import ResetLabWatch
import ResetLabWatchRuntime

/// The kernel's RST events while one scenario runs: a private tracefs instance (``TracefsSession``) read on a
/// thread of its own from before the scenario's first step until ``finish(marking:)``.
///
/// Only what the lab needs is enabled: every `tcp_send_reset`, and the sockets that start listening (the
/// marker that says the reader has caught up). The instance's trace clock is set to `mono` (CLOCK_MONOTONIC),
/// so that the events' times convert exactly to the realtime clock the captured packets are stamped with.
final class KernelResetTrace: @unchecked Sendable {
    /// The RST events read, and why they may not be all of them.
    struct Outcome: Sendable {
        var events: [KernelEvent]
        /// Why some events may be missing (the kernel dropped some, or the reader could not catch up), or
        /// `nil` when every event up to the end was read.
        var incomplete: String?
    }

    private let session: TracefsSession
    private let lock = NSLock()
    // Guarded by `lock`.
    private var events: [KernelEvent] = []
    private var listeningPorts: Set<Int> = []
    /// Held for the whole of ``finish(marking:)``, so that a second caller gets the first one's outcome.
    private let finishing = NSLock()
    private var outcome: Outcome?
    private let stopped = DispatchSemaphore(value: 0)
    /// Whether the trace clock is CLOCK_MONOTONIC (else the kernel's default, which may drift from it).
    let clockIsMonotonic: Bool
    /// CLOCK_REALTIME minus CLOCK_MONOTONIC when the trace started, in nanoseconds.
    let clockOffsetNanoseconds: Int64

    /// Whether instances left by dead processes have been looked for (once per run). Guarded by `staleLock`.
    nonisolated(unsafe) private static var staleRemoved = false
    private static let staleLock = NSLock()

    /// Starts tracing, or says why it cannot.
    static func start() -> Result<KernelResetTrace, KernelTraceFailure> {
        guard geteuid() == 0 else {
            let why = "needs root: the reasons come from the kernel's tcp_send_reset tracepoint (tracefs)"
            return .failure(KernelTraceFailure(description: why))
        }
        do {
            let trace = try KernelResetTrace()
            let first = Self.staleLock.withLock {
                defer { Self.staleRemoved = true }
                return !Self.staleRemoved
            }
            if first { Self.removeStale(beside: trace.session.directory) }
            return .success(trace)
        } catch {
            return .failure(KernelTraceFailure(description: "tracing could not start: \(error)"))
        }
    }

    private init() throws(TracefsSession.Failure) {
        let session = try TracefsSession()
        self.session = session
        let directory = session.directory
        // Less to read on a busy host: no received resets or retransmissions, and of the state changes only
        // CLOSE → LISTEN (7 → 10), the end marker. Without the filter the marker still comes, among more.
        for event in TracefsSession.events where event != "tcp/tcp_send_reset" && event != "sock/inet_sock_set_state" {
            _ = Self.write("0", to: "\(directory)/events/\(event)/enable")
        }
        let listens = "protocol == 6 && oldstate == 7 && newstate == 10"
        _ = Self.write(listens, to: "\(directory)/events/sock/inet_sock_set_state/filter")
        self.clockIsMonotonic = session.clockIsMonotonic
        self.clockOffsetNanoseconds = rl_realtime_nanoseconds() &- rl_monotonic_nanoseconds()
        let reader = Thread { [self] in
            session.read { event in
                switch event.kind {
                case .sentReset:
                    self.lock.withLock { self.events.append(event) }
                case .stateChanged(_, "TCP_LISTEN"):
                    self.lock.withLock { _ = self.listeningPorts.insert(event.local.port) }
                default:
                    break
                }
                return true
            }
            self.stopped.signal()
        }
        reader.name = "resetlab lab trace"
        reader.start()
    }

    /// Stops tracing and returns the RST events seen since the start. Safe to call more than once, from any
    /// thread (an interrupted run calls it from the signal handler's); the reader removes the instance as it
    /// ends.
    ///
    /// - Parameter marking: first make a marker event (a socket listens for a moment) and wait, for a few
    ///   seconds at most, until the reader has read it: then every event before it has been read too.
    func finish(marking: Bool = true) -> Outcome {
        self.finishing.withLock {
            if let outcome = self.outcome { return outcome }
            var caughtUp = !marking
            if marking, let port = Self.listenForAMoment() {
                let deadline = ContinuousClock.now + .seconds(5)
                while !caughtUp && ContinuousClock.now < deadline {
                    caughtUp = self.lock.withLock { self.listeningPorts.contains(Int(port)) }
                    if !caughtUp { usleep(2_000) }
                }
            }
            self.session.close()
            let ended = self.stopped.wait(timeout: .now() + 3) == .success
            let lost = self.session.lostEvents
            var incomplete: String?
            if lost > 0 {
                incomplete = "the kernel dropped \(lost) trace event\(lost == 1 ? "" : "s") (the host was busy)"
            } else if !caughtUp || !ended {
                incomplete = "the trace could not be read to its end in time (the host was busy)"
            }
            let outcome = Outcome(events: self.lock.withLock { self.events }, incomplete: incomplete)
            self.outcome = outcome
            return outcome
        }
    }

    /// Listens on 127.0.0.1 (a free port) and stops at once: a CLOSE → LISTEN event with that port.
    private static func listenForAMoment() -> UInt16? {
        var port: UInt16 = 0
        let fd = rl_tcp_listen("127.0.0.1", 0, 1, &port)
        guard fd >= 0 else { return nil }
        _ = rl_close(fd)
        return port
    }

    /// Removes the instances (`resetlab-PID-…`, next to `directory`) of processes that no longer exist: a run
    /// killed with SIGKILL could not remove its own, and an instance with events enabled costs every TCP event
    /// on the host a little time and the instance's buffers.
    private static func removeStale(beside directory: String) {
        let parent = (directory as NSString).deletingLastPathComponent
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        for entry in entries where entry.hasPrefix("resetlab-") {
            let fields = entry.split(separator: "-")
            guard fields.count == 3, let pid = Int32(fields[1]), pid != getpid() else { continue }
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            for event in TracefsSession.events { _ = Self.write("0", to: "\(parent)/\(entry)/events/\(event)/enable") }
            rmdir("\(parent)/\(entry)")
        }
    }

    private static func write(_ text: String, to path: String) -> Bool {
        guard let handle = FileHandle(forWritingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data(text.utf8))) != nil
    }
}

/// Why the kernel's reasons could not be traced.
struct KernelTraceFailure: Error, CustomStringConvertible {
    var description: String
}
