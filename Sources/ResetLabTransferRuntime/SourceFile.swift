#if canImport(Glibc)
import Glibc
#endif
import ResetLabTransfer

/// The file being sent: open for reading, with its identity and its SHA-256 (hashed on a thread of its own).
final class SourceFile {
    /// Why the file cannot be sent.
    struct OpenError: Error, CustomStringConvertible {
        let description: String
    }

    let path: String
    let identity: FileIdentity
    private let descriptor: Int32
    /// Hashes the whole file on its own thread from the moment it is opened.
    private let hasher: FileHasher
    private var digest: SHA256Digest?

    /// Opens `path`, records its identity and starts hashing it.
    /// - Throws: ``OpenError`` for a missing, unreadable or non-regular file.
    init(path: String) throws(OpenError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw OpenError(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw OpenError(description: "\(path) is not a regular file (send one file at a time)")
        }
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        self.path = path
        self.descriptor = fd
        self.identity = Self.identity(of: status)
        self.hasher = FileHasher(descriptor: fd, hashUpTo: self.identity.size)
    }

    deinit {
        self.hasher.close()
        close(self.descriptor)
    }

    private static func identity(of status: stat) -> FileIdentity {
        FileIdentity(
            size: UInt64(max(0, status.st_size)),
            modifiedNanoseconds: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
    }

    /// Whether the file still has the size and modification time it had when opened.
    var isUnchanged: Bool {
        var status = stat()
        return fstat(self.descriptor, &status) == 0 && Self.identity(of: status) == self.identity
    }

    /// Fills `buffer` from `offset`.
    /// - Throws: ``OpenError`` when the file is shorter than it was or cannot be read.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(OpenError) {
        var filled = 0
        while filled < buffer.count {
            let count = pread(self.descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled, off_t(offset) + off_t(filled))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let reason = count == 0 ? "it became shorter" : String(cString: strerror(errno))
                throw OpenError(description: "cannot read \(self.path) at \(offset + UInt64(filled)): \(reason)")
            }
            filled += count
        }
    }

    /// The whole file's SHA-256 (waiting for the hashing thread to get to the end).
    /// - Throws: ``OpenError`` when the file could not be read to its end.
    func sha256() throws(OpenError) -> SHA256Digest {
        if let digest = self.digest { return digest }
        switch self.hasher.finish(size: self.identity.size) {
        case .success(let digest):
            self.digest = digest
            return digest
        case .failure(let failure):
            throw OpenError(description: "cannot hash \(self.path): \(failure.reason)")
        }
    }
}
