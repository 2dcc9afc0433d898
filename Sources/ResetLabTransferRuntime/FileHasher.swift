import Foundation
import ResetLabTransfer

#if canImport(Glibc)
import Glibc
#endif

/// The SHA-256 of a file's first bytes, computed on a thread of its own while the caller sends or receives.
///
/// SHA-256 is the costliest step of a transfer (about 1.3 GB/s on one core with SHA-NI) and cannot be
/// split across cores, so each end hashes beside its socket loop instead of inside it: the loop only
/// checksums (CRC-32C) and moves bytes. The hasher reads the file itself, through its own descriptor, up to
/// a target the caller moves forward (the receiver: its verified offset; the sender: the whole file at
/// once), so no buffer is shared between threads; the bytes are read from the page cache, where they
/// were just written or read.
final class FileHasher: @unchecked Sendable {
    // Sendable: `target`, `hashed`, `finishAt`, `result` and `closed` are only touched under `condition`;
    // the SHA-256 state lives on the hashing thread alone.
    private let condition = NSCondition()
    private let descriptor: Int32
    private var target: UInt64
    private var hashed: UInt64 = 0
    private var finishAt: UInt64?
    private var result: Result<SHA256Digest, HashFailure>?
    private var closed = false

    /// Why no digest could be computed.
    struct HashFailure: Error {
        let reason: String
    }

    /// Starts hashing `descriptor`'s file (duplicated: the caller keeps its own) up to `target` bytes.
    init(descriptor: Int32, hashUpTo target: UInt64) {
        self.descriptor = dup(descriptor)
        self.target = target
        Thread { [self] in self.run() }.start()
    }

    /// The file now holds at least `offset` good bytes: hash up to there.
    func advance(to offset: UInt64) {
        self.condition.withLock {
            if offset > self.target {
                self.target = offset
                self.condition.broadcast()
            }
        }
    }

    /// Waits until the first `size` bytes are hashed.
    /// - Returns: their digest, or a failure when the file could not be read that far (it shrank).
    func finish(size: UInt64) -> Result<SHA256Digest, HashFailure> {
        self.condition.lock()
        defer { self.condition.unlock() }
        if self.finishAt == nil {
            self.finishAt = size
            self.target = max(self.target, size)
            self.condition.broadcast()
        }
        while self.result == nil { self.condition.wait() }
        return self.result ?? .failure(HashFailure(reason: "no result"))
    }

    /// Stops the thread (after the read in progress) without a digest.
    func close() {
        self.condition.withLock {
            self.closed = true
            self.condition.broadcast()
        }
    }

    private func run() {
        defer { Glibc.close(self.descriptor) }
        guard let hasher = SHA256Hasher() else {
            self.publish(.failure(HashFailure(reason: "this system's libcrypto provides no SHA-256")))
            return
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            self.condition.lock()
            while !self.closed && self.hashed >= self.target && self.finishAt != self.hashed {
                self.condition.wait()
            }
            let (closed, from, upTo, finishAt) = (self.closed, self.hashed, self.target, self.finishAt)
            self.condition.unlock()
            if closed { return }
            if let finishAt, finishAt < from {
                self.publish(.failure(HashFailure(reason: "asked for the digest of \(finishAt) bytes after hashing \(from)")))
                return
            }
            if finishAt == from {
                self.publish(.success(hasher.finish()))
                return
            }
            let wanted = Int(min(UInt64(buffer.count), upTo - from))
            let count = pread(self.descriptor, buffer.baseAddress, wanted, off_t(from))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let reason = count == 0 ? "the file is shorter than \(upTo) bytes" : String(cString: strerror(errno))
                self.publish(.failure(HashFailure(reason: reason)))
                return
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            self.condition.withLock { self.hashed += UInt64(count) }
        }
    }

    private func publish(_ result: Result<SHA256Digest, HashFailure>) {
        self.condition.withLock {
            self.result = result
            self.condition.broadcast()
        }
    }
}
