import Foundation

/// A one-shot event fired by the first of some signals; an async caller waits for it.
final class TerminationSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var continuation: CheckedContinuation<Void, Never>?
    private var sources: [DispatchSourceSignal] = []

    /// Starts catching `signals` (their default action, ending the process, no longer happens).
    static func install(for signals: [Int32]) -> TerminationSignal {
        let termination = TerminationSignal()
        termination.sources = signals.map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { termination.fire() }
            source.resume()
            return source
        }
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

    func fire() {
        let continuation = self.lock.withLock {
            self.fired = true
            defer { self.continuation = nil }
            return self.continuation
        }
        continuation?.resume()
    }
}
