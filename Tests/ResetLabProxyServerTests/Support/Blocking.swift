import CResetLabLinux
import Foundation

/// A value shared between test threads, behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body(&self.value)
    }

    var current: Value {
        self.withLock { $0 }
    }
}

/// Runs blocking socket code on its own thread, so it never holds one of the few cooperative threads
/// that the proxy's control API (an actor) needs to answer.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// Polls `condition` every `interval` ms until it holds or `timeout` ms have passed; returns whether it held.
    static func eventually(timeout: Int, interval: Int = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let watch = Stopwatch()
        while true {
            if try condition() { return true }
            if watch.milliseconds >= Int64(timeout) { return false }
            Thread.sleep(forTimeInterval: Double(interval) / 1000)
        }
    }

    /// ``eventually(timeout:interval:_:)`` for async conditions, sleeping without blocking a thread.
    static func eventually(
        timeout: Int,
        interval: Int = 20,
        _ condition: () async throws -> Bool
    ) async rethrows -> Bool {
        let watch = Stopwatch()
        while true {
            if try await condition() { return true }
            if watch.milliseconds >= Int64(timeout) { return false }
            try? await Task.sleep(for: .milliseconds(interval))
        }
    }
}

/// Milliseconds on the monotonic clock since it was made.
struct Stopwatch: Sendable {
    let start = rl_monotonic_nanoseconds()

    var milliseconds: Int64 {
        self.nanoseconds / 1_000_000
    }

    var nanoseconds: Int64 {
        rl_monotonic_nanoseconds() - self.start
    }
}
