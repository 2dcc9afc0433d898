import Foundation
import ResetLabSteady

/// `steady serve`'s standard output: one line per message, written with plain `write(2)` so the byte
/// count is exact, and able to tell after a crash whether the last line made it (when stdout is a
/// regular file; for a pipe or terminal nobody can tell, and the line is written again).
final class SteadyOutput: @unchecked Sendable {
    private let descriptor: Int32 = 1
    /// Bytes in the output so far: its size at start (a file) plus what this process wrote.
    private(set) var cursor: UInt64
    let isRegularFile: Bool

    init() {
        var status = stat()
        if fstat(self.descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
            self.isRegularFile = true
            self.cursor = UInt64(status.st_size)
        } else {
            self.isRegularFile = false
            self.cursor = 0
        }
    }

    /// Decides whether a delivery under way when the previous process died happened, cutting a torn
    /// line back. Runs once, at start-up, before anything is written.
    func reconcile(_ pending: JournalState.Pending) -> Bool {
        guard self.isRegularFile else { return false }
        switch OutputReconciliation(outputSize: self.cursor, pending: pending) {
        case .happened:
            return true
        case .didNotHappen:
            return false
        case .torn(let size):
            if ftruncate(self.descriptor, off_t(size)) == 0 { self.cursor = size }
            return false
        }
    }

    /// Writes all of `bytes`.
    /// - Throws: ``Failure`` when stdout is gone (its reader exited) or full.
    func write(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(self.descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno)
            }
            offset += written
        }
        self.cursor += UInt64(bytes.count)
    }

    struct Failure: Error, CustomStringConvertible {
        var errno: Int32
        var description: String {
            self.errno == EPIPE
                ? "standard output was closed (its reader exited); stopping so that no message is taken and lost"
                : "cannot write to standard output: \(String(cString: strerror(self.errno)))"
        }
    }
}
