import CResetLabLinux
import Foundation
import ResetLabWatch

/// Finds the process holding each TCP connection, the way `ss -p` does: the socket table (inet_diag over
/// netlink) gives each connection's socket inode, and `socket:[inode]` among `/proc/PID/fd` gives the
/// process. A reset socket has left the table before its event is read, so owners are learned while the
/// connections live: a background thread reads the table shortly after new connections appear
/// (``noteNewConnection()``) and once a second anyway, and the owners are kept for a while after
/// (``OwnerCache``).
///
/// The socket table is this process's network namespace's: connections in other namespaces are not seen.
public final class SocketOwners: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var cache = OwnerCache()
    private var stopped = false
    // Only touched by the refreshing thread (and by `refresh()` callers before it starts).
    private var processes: [UInt64: (pid: Int32, command: String)] = [:]
    private var buffer = [rl_diag_socket](repeating: rl_diag_socket(), count: 4_096)
    private let diag: Int32
    private var refresher: Thread?

    /// Opens the socket table and reads it once. Without a netlink socket (never expected on Linux) owners
    /// stay unknown.
    public init() {
        self.diag = rl_diag_open()
        self.refresh()
    }

    deinit {
        if self.diag >= 0 { _ = rl_diag_close(self.diag) }
    }

    /// The process last seen holding this connection.
    public func owner(of ends: ConnectionEnds) -> SocketOwner? {
        self.lock.withLock { self.cache.owner(of: ends) }
    }

    /// A connection appeared: the table is read again soon (at most every 0.2 s).
    public func noteNewConnection() {
        self.lock.withLock { self.cache.noteNewConnection() }
    }

    /// Starts the background thread that reads the table when new connections appeared.
    public func startRefreshing() {
        let thread = Thread { [self] in
            while true {
                let (stop, due) = self.lock.withLock { (self.stopped, self.cache.shouldRefresh(at: Self.now)) }
                if stop { return }
                if due { self.refresh() }
                usleep(50_000)
            }
        }
        thread.name = "resetlab-socket-owners"
        self.refresher = thread
        thread.start()
    }

    /// Stops the background thread (within 50 ms).
    public func stop() {
        self.lock.withLock { self.stopped = true }
    }

    /// Reads the socket table and the processes' descriptors now.
    public func refresh() {
        let time = Self.now
        self.lock.withLock { self.cache.beginRefresh(at: time) }
        var snapshot: [ConnectionEnds: SocketOwner] = [:]
        let sockets = self.tableSockets()
        // Scan /proc only when the table holds an inode not seen before.
        if sockets.contains(where: { $0.inode != 0 && self.processes[$0.inode] == nil }) {
            self.processes = Self.socketHolders()
        }
        for socket in sockets where socket.inode != 0 {
            guard let holder = self.processes[socket.inode] else { continue }
            snapshot[socket.ends] = SocketOwner(pid: holder.pid, command: holder.command, evidence: .socketTable)
        }
        self.lock.withLock { self.cache.learn(snapshot, at: time) }
    }

    private static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    // MARK: The socket table

    private struct TableSocket {
        var ends: ConnectionEnds
        var inode: UInt64
    }

    private func tableSockets() -> [TableSocket] {
        guard self.diag >= 0 else { return [] }
        var found: [TableSocket] = []
        for family in [AF_INET, AF_INET6] {
            var count = self.dump(family: family)
            if count > self.buffer.count {
                self.buffer = [rl_diag_socket](repeating: rl_diag_socket(), count: count + count / 2)
                count = self.dump(family: family)
            }
            for socket in self.buffer.prefix(max(0, min(count, self.buffer.count))) {
                let length = socket.family == UInt8(AF_INET) ? 4 : 16
                let local = withUnsafeBytes(of: socket.local_address) { TraceEndpoint(addressBytes: $0.prefix(length), port: Int(socket.local_port)) }
                let remote = withUnsafeBytes(of: socket.remote_address) { TraceEndpoint(addressBytes: $0.prefix(length), port: Int(socket.remote_port)) }
                guard let local, let remote else { continue }
                found.append(TableSocket(ends: ConnectionEnds(local: local, remote: remote), inode: UInt64(socket.inode)))
            }
        }
        return found
    }

    private func dump(family: Int32) -> Int {
        let capacity = Int32(self.buffer.count)
        return Int(self.buffer.withUnsafeMutableBufferPointer { rl_diag_dump(self.diag, family, $0.baseAddress, capacity) })
    }

    // MARK: Processes

    /// Every socket inode held by a process, with the process: `/proc/PID/fd/N → socket:[inode]`.
    static func socketHolders() -> [UInt64: (pid: Int32, command: String)] {
        var holders: [UInt64: (pid: Int32, command: String)] = [:]
        guard let proc = opendir("/proc") else { return holders }
        defer { closedir(proc) }
        var link = [CChar](repeating: 0, count: 64)
        while let entry = readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name), let descriptors = opendir("/proc/\(name)/fd") else { continue }
            var command: String?
            while let descriptor = readdir(descriptors) {
                let length = withUnsafePointer(to: descriptor.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { path in
                        link.withUnsafeMutableBufferPointer { target in
                            guard let base = target.baseAddress else { return -1 }
                            return readlinkat(dirfd(descriptors), path, base, target.count - 1)
                        }
                    }
                }
                guard length > 9 else { continue }
                let target = link.prefix(length).map { UInt8(bitPattern: $0) }
                guard target.starts(with: Array("socket:[".utf8)), target.last == UInt8(ascii: "]"),
                    let inode = UInt64(String(decoding: target[8..<(length - 1)], as: UTF8.self))
                else { continue }
                if command == nil { command = Self.command(of: pid) }
                holders[inode] = (pid, command ?? "?")
            }
            closedir(descriptors)
        }
        return holders
    }

    /// The command name of a running process (`/proc/PID/comm`), `nil` once it has exited.
    public static func command(of pid: Int32) -> String? {
        let descriptor = open("/proc/\(pid)/comm", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: bytes.prefix(count).prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }
}
