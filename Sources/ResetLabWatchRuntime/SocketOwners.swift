import Foundation
import ResetLabWatch

/// Finds the process that holds a TCP socket, the way `ss -p` does: the socket's inode from
/// `/proc/net/tcp` and `/proc/net/tcp6`, then the `socket:[inode]` link among every process's
/// descriptors. A socket that is already gone (the usual fate of one that was just reset) has no owner.
public enum SocketOwners {
    public struct Owner: Sendable, Equatable {
        public var pid: Int32
        public var command: String
    }

    /// The process holding the socket with these ends, if it still exists.
    public static func owner(local: TraceEndpoint, remote: TraceEndpoint) -> Owner? {
        guard let inode = Self.inode(local: local, remote: remote) else { return nil }
        return Self.process(holding: inode)
    }

    static func inode(local: TraceEndpoint, remote: TraceEndpoint) -> UInt64? {
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = Self.readWhole(table) else { continue }
            for row in text.split(separator: "\n").dropFirst() {
                guard let entry = SocketTableEntry(row), entry.inode != 0 else { continue }
                if entry.local.description == local.description && entry.remote.description == remote.description {
                    return entry.inode
                }
            }
        }
        return nil
    }

    /// Reads a /proc file to its end: they report a size of 0 and come a page per read.
    static func readWhole(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func process(holding inode: UInt64) -> Owner? {
        let wanted = "socket:[\(inode)]"
        guard let processes = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for name in processes {
            guard let pid = Int32(name), let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(name)/fd") else { continue }
            for descriptor in descriptors {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(name)/fd/\(descriptor)"),
                    target == wanted
                else { continue }
                let command = Self.readWhole("/proc/\(name)/comm")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
                return Owner(pid: pid, command: command)
            }
        }
        return nil
    }
}
