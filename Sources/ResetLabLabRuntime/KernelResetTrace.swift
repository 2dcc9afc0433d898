import CResetLabLinux
import Foundation
import ResetLabLab
import ResetLabWatch
import ResetLabWatchRuntime

/// The kernel's RST events while one scenario runs: a private tracefs instance (``TracefsSession``) read on a
/// thread of its own from before the scenario's first step until ``finish()``.
///
/// The instance's trace clock is set to `mono` (CLOCK_MONOTONIC), so that the events' times convert exactly to
/// the realtime clock the captured packets are stamped with.
final class KernelResetTrace: @unchecked Sendable {
    private let session: TracefsSession
    private let lock = NSLock()
    private var events: [KernelEvent] = []
    private let stopped = DispatchSemaphore(value: 0)
    /// Whether the trace clock is CLOCK_MONOTONIC (else the kernel's default, which may drift from it).
    let clockIsMonotonic: Bool
    /// CLOCK_REALTIME minus CLOCK_MONOTONIC when the trace started, in nanoseconds.
    let clockOffsetNanoseconds: Int64

    /// Starts tracing, or says why it cannot.
    static func start() -> Result<KernelResetTrace, KernelTraceFailure> {
        guard geteuid() == 0 else {
            let why = "needs root: the reasons come from the kernel's tcp_send_reset tracepoint (tracefs)"
            return .failure(KernelTraceFailure(description: why))
        }
        do {
            return .success(try KernelResetTrace())
        } catch {
            return .failure(KernelTraceFailure(description: "tracing could not start: \(error)"))
        }
    }

    private init() throws(TracefsSession.Failure) {
        let session = try TracefsSession()
        self.session = session
        // Setting the clock empties the instance's buffer: nothing has been read yet, nothing is lost.
        self.clockIsMonotonic = Self.write("mono", to: "\(session.directory)/trace_clock")
        self.clockOffsetNanoseconds = rl_realtime_nanoseconds() &- rl_monotonic_nanoseconds()
        let reader = Thread { [self] in
            session.read { event in
                switch event.kind {
                case .sentReset, .receivedReset: self.lock.withLock { self.events.append(event) }
                default: break
                }
                return true
            }
            self.stopped.signal()
        }
        reader.name = "resetlab lab trace"
        reader.start()
    }

    /// Stops tracing and returns the RST events seen since the start, after reading what the kernel had
    /// buffered (for at most a few seconds).
    func finish() -> [KernelEvent] {
        self.session.close()
        _ = self.stopped.wait(timeout: .now() + 3)
        return self.lock.withLock { self.events }
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
