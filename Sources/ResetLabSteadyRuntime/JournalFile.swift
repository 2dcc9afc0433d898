import NIOConcurrencyHelpers
import ResetLabSteady

#if canImport(Glibc)
import Glibc
#endif

/// A journal on disk: replayed when opened, appended to with one `write(2)` per batch of records (a
/// process killed at any moment leaves whole records behind, or a torn last one that replay cuts off),
/// and compacted by rewriting it under a new name and renaming it over the old one.
///
/// The journal protects against the process dying, not the machine: records reach the page cache, not
/// necessarily the disk.
final class JournalFile: Sendable {
    private struct State {
        var fd: Int32
        var replayed: JournalState
        var size: Int
    }

    let path: String
    /// The epoch of this run: one more than the previous run's.
    let epoch: UInt64
    /// The state the journal held when it was opened, before this run wrote anything.
    let recovered: JournalState
    private let state: NIOLockedValueBox<State>
    /// Rewrite when the file passes this size and compaction would shrink it to under half.
    private let compactAt = 32 << 20

    /// Opens (or creates) `directory/name`, replays it, cuts a torn tail and records this run's identity.
    init(directory: String, name: String, session: SessionID?) throws(SteadyError) {
        try Self.makeDirectory(directory)
        self.path = directory + "/" + name
        let bytes = try Self.read(self.path)
        let (records, sound) = try JournalRecord.decodeFile(bytes)
        var replayed = JournalState(replaying: records)
        self.recovered = replayed
        self.epoch = replayed.epoch + 1
        let fd = open(self.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.failure("open", self.path) }
        if bytes.isEmpty || sound < bytes.count {
            guard ftruncate(fd, off_t(bytes.isEmpty ? 0 : sound)) == 0 else {
                let error = Self.failure("truncate", self.path)
                close(fd)
                throw error
            }
        }
        guard lseek(fd, 0, SEEK_END) >= 0 else {
            let error = Self.failure("seek", self.path)
            close(fd)
            throw error
        }
        var header: [UInt8] = bytes.isEmpty ? JournalRecord.fileMagic : []
        let identity = JournalRecord.identity(session: session ?? replayed.session ?? SessionID(high: 0, low: 0), epoch: self.epoch)
        identity.encode(into: &header)
        replayed.apply(identity)
        guard Self.writeAll(fd, header) else {
            let error = Self.failure("write", self.path)
            close(fd)
            throw error
        }
        self.state = NIOLockedValueBox(State(fd: fd, replayed: replayed, size: (bytes.isEmpty ? 0 : sound) + header.count))
    }

    deinit {
        self.state.withLockedValue { _ = close($0.fd) }
    }

    /// Appends `records` with one write.
    func append(_ records: [JournalRecord]) throws(SteadyError) {
        var bytes: [UInt8] = []
        for record in records { record.encode(into: &bytes) }
        let result: SteadyError? = self.state.withLockedValue { state in
            guard Self.writeAll(state.fd, bytes) else { return Self.failure("write", self.path) }
            state.size += bytes.count
            for record in records { state.replayed.apply(record) }
            if state.size > self.compactAt { return self.compact(&state) }
            return nil
        }
        if let result { throw result }
    }

    /// Rewrites the journal as its compacted records, when that at least halves it.
    private func compact(_ state: inout State) -> SteadyError? {
        var bytes = JournalRecord.fileMagic
        for record in state.replayed.compacted { record.encode(into: &bytes) }
        guard bytes.count * 2 < state.size else { return nil }
        let temporary = self.path + ".compacting"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return Self.failure("open", temporary) }
        guard Self.writeAll(fd, bytes), rename(temporary, self.path) == 0 else {
            let error = Self.failure("compact", self.path)
            close(fd)
            unlink(temporary)
            return error
        }
        close(state.fd)
        state.fd = fd
        state.size = bytes.count
        return nil
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    private static func read(_ path: String) throws(SteadyError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return [] }
            throw Self.failure("open", path)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.failure("read", path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private static func makeDirectory(_ directory: String) throws(SteadyError) {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw Self.failure("create directory", prefix) }
        }
    }

    private static func failure(_ operation: String, _ path: String) -> SteadyError {
        let code = errno
        return SteadyError(.journal, errno: code, detail: "journal \(path): \(operation) failed: \(String(cString: strerror(code)))")
    }
}
