import Foundation

/// When a reader's descriptor may be released: by whoever comes last, `close()` when no read runs, or the
/// read that `close()` interrupted, so that a running read never uses a descriptor number that may already
/// belong to something else. Releasing happens once, under the lifecycle's lock, as does anything that
/// must not meet a released descriptor (``whileOpen(_:)``).
final class ReaderLifecycle: @unchecked Sendable {
    private let lock = NSLock()
    private var closed = false
    private var reading = false
    private var released = false

    /// Marks a read as running; `false` when the reader is closed or another read runs.
    func beginRead() -> Bool {
        self.lock.withLock {
            guard !self.closed, !self.reading else { return false }
            self.reading = true
            return true
        }
    }

    /// Marks the read as over, and releases (`release`, once) when the reader was closed meanwhile.
    func endRead(release: () -> Void) {
        self.lock.withLock {
            self.reading = false
            if self.closed { self.releaseOnce(release) }
        }
    }

    /// Marks the reader closed, and releases (`release`, once) when no read runs; a running read releases
    /// when it ends.
    func close(release: () -> Void) {
        self.lock.withLock {
            self.closed = true
            if !self.reading { self.releaseOnce(release) }
        }
    }

    var isClosed: Bool { self.lock.withLock { self.closed } }

    /// Runs `body` unless the descriptor has been released, under the lock: it cannot be released meanwhile.
    func whileOpen<T>(_ body: () -> T) -> T? {
        self.lock.withLock { self.released ? nil : body() }
    }

    /// Call with the lock held.
    private func releaseOnce(_ release: () -> Void) {
        guard !self.released else { return }
        release()
        self.released = true
    }
}
