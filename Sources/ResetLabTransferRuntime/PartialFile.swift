#if canImport(Glibc)
import Glibc
#endif
import ResetLabTransfer

/// `NAME.part` and its state file `NAME.part.state` inside the receive directory, opened relative to the
/// directory's descriptor with `O_NOFOLLOW`: a symbolic link planted under either name makes the open fail
/// (`ELOOP`) instead of sending bytes elsewhere, and a hard link or a non-regular file is refused too.
/// `NAME` appears only when ``finish()`` renames the verified partial file.
final class PartialFile {
    let name: ReceivedFileName
    private let directory: Int32
    private let data: Int32
    private let state: Int32

    /// Opens (creating if needed) both files.
    /// - Throws: ``ReceiveFailure`` `.unsafePath` for links and odd files, `.storage` for other errors.
    init(name: ReceivedFileName, directory: Int32) throws(ReceiveFailure) {
        self.name = name
        self.directory = directory
        self.data = try Self.open(name.partialName, in: directory)
        do throws(ReceiveFailure) {
            self.state = try Self.open(name.stateName, in: directory)
        } catch {
            close(self.data)
            throw error
        }
    }

    deinit {
        close(self.data)
        close(self.state)
    }

    private static func open(_ fileName: String, in directory: Int32) throws(ReceiveFailure) -> Int32 {
        let flags = O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK
        let fd = openat(directory, fileName, flags, 0o644)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP {
                throw ReceiveFailure(.unsafePath, "\(fileName) in the receive directory is a symbolic link; it was left alone and nothing was written (remove it to receive this file)")
            }
            throw ReceiveFailure(.storage, "cannot open \(fileName) in the receive directory: \(String(cString: strerror(code)))")
        }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_nlink == 1 else {
            close(fd)
            throw ReceiveFailure(.unsafePath, "\(fileName) in the receive directory is not a plain file of its own (a hard link, a device or a pipe); it was left alone (remove it to receive this file)")
        }
        return fd
    }

    /// The partial file's descriptor, for reading it back (the caller duplicates it to keep it).
    var dataDescriptor: Int32 { self.data }

    /// The partial file's current size.
    var size: UInt64 {
        var status = stat()
        return fstat(self.data, &status) == 0 ? UInt64(max(0, status.st_size)) : 0
    }

    /// The state file's record, `nil` when empty or damaged.
    func readState() -> PartialState? {
        var bytes = [UInt8](repeating: 0, count: PartialState.encodedSize)
        let count = bytes.withUnsafeMutableBytes { pread(self.state, $0.baseAddress, $0.count, 0) }
        return count == PartialState.encodedSize ? PartialState(decoding: bytes) : nil
    }

    /// Records which file this is and how much of it is verified (written after the data it covers).
    func writeState(_ record: PartialState) throws(ReceiveFailure) {
        let bytes = record.encoded()
        let count = bytes.withUnsafeBytes { pwrite(self.state, $0.baseAddress, $0.count, 0) }
        guard count == bytes.count else { throw self.storageFailure("write \(self.name.stateName)") }
    }

    /// Cuts the partial file to `size` bytes (dropping anything unverified past it). A file that already
    /// has that size is left alone: on ext4 a truncation marks the file for a flush of all its data when it
    /// is closed (auto_da_alloc), which would make finishing a fresh file wait for the disk.
    func truncate(to size: UInt64) throws(ReceiveFailure) {
        guard self.size != size else { return }
        guard ftruncate(self.data, off_t(size)) == 0 else { throw self.storageFailure("truncate \(self.name.partialName)") }
    }

    /// Writes `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws(ReceiveFailure) {
        var done = 0
        while done < bytes.count {
            let count = pwrite(self.data, bytes.baseAddress.map { $0 + done }, bytes.count - done, off_t(offset) + off_t(done))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw self.storageFailure("write \(self.name.partialName)") }
            done += count
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`: the count, 0 past the end.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(ReceiveFailure) -> Int {
        while true {
            let count = pread(self.data, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw self.storageFailure("read \(self.name.partialName)") }
        }
    }

    /// Gives the verified file its name (replacing an older file of that name) and removes the state.
    func finish() throws(ReceiveFailure) {
        guard renameat(self.directory, self.name.partialName, self.directory, self.name.name) == 0 else {
            throw self.storageFailure("rename \(self.name.partialName) to \(self.name.name)")
        }
        unlinkat(self.directory, self.name.stateName, 0)
    }

    /// Removes both files (after a SHA-256 mismatch, or when another version of the file arrives).
    func discard() {
        unlinkat(self.directory, self.name.partialName, 0)
        unlinkat(self.directory, self.name.stateName, 0)
    }

    private func storageFailure(_ operation: String) -> ReceiveFailure {
        ReceiveFailure(.storage, "the receiver cannot \(operation): \(String(cString: strerror(errno)))")
    }
}
