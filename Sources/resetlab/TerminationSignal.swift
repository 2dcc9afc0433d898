import CResetLabLinux
import Foundation

/// A one-shot event fired by the first of some signals; an async caller waits for it, or a callback runs.
///
/// The signals are caught by a handler installed at once (`rl_catch_signals`), not by a dispatch source, whose
/// registration completes a moment after it is made: a signal sent just after start-up (a supervisor's
/// SIGTERM as soon as the port opens) used to be ignored in between.
final class TerminationSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var signalNumber: Int32?
    private var continuation: CheckedContinuation<Void, Never>?
    private var callbacks: [@Sendable () -> Void] = []

    /// Starts catching `signals` (their default action, ending the process, no longer happens). Once per
    /// process. If the signals cannot be caught, they keep their default action.
    static func install(for signals: [Int32]) -> TerminationSignal {
        let termination = TerminationSignal()
        let pipe = signals.withUnsafeBufferPointer { rl_catch_signals($0.baseAddress, Int32($0.count)) }
        guard pipe >= 0 else { return termination }
        let reader = Thread {
            var number: UInt8 = 0
            while read(pipe, &number, 1) < 0 && errno == EINTR {}
            termination.fire(signal: Int32(number))
        }
        reader.name = "resetlab-signals"
        reader.start()
        return termination
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = self.lock.withLock {
                if self.fired { return true }
                self.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Runs `body` when the event fires (at once if it already has).
    func whenFired(_ body: @escaping @Sendable () -> Void) {
        let now = self.lock.withLock {
            if self.fired { return true }
            self.callbacks.append(body)
            return false
        }
        if now { body() }
    }

    /// The signal that fired the event, if a signal did.
    var firedBySignal: Int32? { self.lock.withLock { self.signalNumber } }

    /// Fires the event; `signal` says which signal did, if one did.
    func fire(signal: Int32? = nil) {
        let (continuation, callbacks) = self.lock.withLock {
            if !self.fired { self.signalNumber = signal }
            self.fired = true
            defer {
                self.continuation = nil
                self.callbacks = []
            }
            return (self.continuation, self.callbacks)
        }
        continuation?.resume()
        callbacks.forEach { $0() }
    }
}
