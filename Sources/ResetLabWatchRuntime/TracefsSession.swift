import Foundation
import ResetLabWatch

/// A private tracefs instance (`instances/resetlab-PID-N`) with the TCP reset events enabled: the global
/// tracer and other watchers are never touched, and ``close()`` removes the instance again.
public final class TracefsSession: @unchecked Sendable {
    /// The events a watch needs, as `system/event`.
    public static let events = ["tcp/tcp_send_reset", "tcp/tcp_receive_reset", "sock/inet_sock_set_state", "tcp/tcp_retransmit_skb"]

    /// Which state changes the kernel passes on (a filter on `sock/inet_sock_set_state`, so that the reader
    /// is not woken for what it would discard).
    public enum StateChanges: Sendable {
        /// Every change of a TCP socket.
        case all
        /// Changes of established or establishing connections: none from or to CLOSE (TCP_CLOSE is 7), so a
        /// refused connect costs two events (its RSTs) instead of four. Enough to learn who holds a
        /// connection and in which state a RST found it.
        case connections

        var filter: String {
            switch self {
            case .all: "protocol == 6"
            case .connections: "protocol == 6 && oldstate != 7 && newstate != 7"
            }
        }
    }

    /// Why a session could not start, and what to do about it.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The instance's directory.
    public let directory: String
    /// Events this kernel lacks (enabled: the rest).
    public let missingEvents: [String]
    /// Whether `tcp_send_reset` carries the kernel's reason (Linux 6.10 and later).
    public let reportsReasons: Bool
    /// Whether event timestamps are CLOCK_MONOTONIC seconds exactly (the `mono` trace clock); otherwise
    /// they are the kernel's `local` clock, close to it.
    public let clockIsMonotonic: Bool
    private let pipe: Int32
    /// Who closes the pipe (and removes the instance, which needs it closed).
    private let lifecycle = ReaderLifecycle()
    // Guarded by `lock`.
    private let lock = NSLock()
    private var lost: Int?
    /// When close() was called, in CLOCK_MONOTONIC seconds: the events up to then are still read.
    private var closedAt: Double?

    /// Creates the instance under `root` (default: where tracefs is mounted) and enables the events.
    /// - Throws: ``Failure`` saying what is missing (tracefs not mounted, no permission, no events).
    public init(root: String? = nil, stateChanges: StateChanges = .all) throws(Failure) {
        guard let root = root ?? Self.tracefsRoot() else {
            throw Failure(description: "tracefs is not mounted and could not be mounted: run as root, or mount it with 'mount -t tracefs nodev /sys/kernel/tracing'")
        }
        let directory = "\(root)/instances/resetlab-\(getpid())-\(String(UInt32.random(in: 0 ... .max), radix: 16))"
        guard mkdir(directory, 0o700) == 0 else {
            let reason = String(cString: strerror(errno))
            throw Failure(description: "cannot create the tracefs instance \(directory): \(reason) (watch needs root)")
        }
        // Room for bursts while the reader is busy (the kernel's default for an instance is small).
        _ = Self.write("4096", to: "\(directory)/buffer_size_kb")
        // Timestamps on CLOCK_MONOTONIC exactly (the default `local` clock drifts from it over uptime).
        let monotonic = Self.write("mono", to: "\(directory)/trace_clock")
        var missing: [String] = []
        // Without the filter (a kernel that refuses it) the events still come, only more of them.
        _ = Self.write(stateChanges.filter, to: "\(directory)/events/sock/inet_sock_set_state/filter")
        for event in Self.events where !Self.write("1", to: "\(directory)/events/\(event)/enable") {
            missing.append(event)
        }
        guard missing.count < Self.events.count else {
            rmdir(directory)
            throw Failure(description: "this kernel has none of the TCP tracepoints (\(Self.events.joined(separator: ", ")))")
        }
        let pipe = open("\(directory)/trace_pipe", O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard pipe >= 0 else {
            let reason = String(cString: strerror(errno))
            Self.remove(directory)
            throw Failure(description: "cannot read \(directory)/trace_pipe: \(reason)")
        }
        self.directory = directory
        self.missingEvents = missing
        self.clockIsMonotonic = monotonic
        let format = (try? String(contentsOfFile: "\(directory)/events/tcp/tcp_send_reset/format", encoding: .utf8)) ?? ""
        self.reportsReasons = format.contains(" reason;")
        self.pipe = pipe
    }

    /// Reads events until ``close()`` or `body` returns `false`, calling `body` for each TCP event and
    /// `batchEnd` after each batch read at once and every 0.1 s while nothing comes. `batchEnd` is given
    /// the monotonic time at which the kernel's buffer was last seen empty (every event stamped before it
    /// has been read), or nil when more was already waiting. Blocks: run it on a thread of its own.
    public func read(batchEnd: (_ readThrough: Double?) -> Void = { _ in }, _ body: (KernelEvent) -> Bool) {
        guard self.lifecycle.beginRead() else { return }
        defer { self.lifecycle.endRead { self.release() } }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var draining = false
        var drainUntil = ContinuousClock.now
        var closedAt = Double.infinity
        while true {
            // After close(), what the kernel already buffered is still read (the pipe is non-blocking), so
            // that nothing that happened before the end is left out: until the buffer is empty or, on the
            // monotonic clock, an event from after the close is reached (a reader that fell behind on a
            // busy host catches up to the close); for 5 s at most (0.5 s on another clock).
            if !draining, let stamp = self.lock.withLock({ self.closedAt }) {
                draining = true
                closedAt = self.clockIsMonotonic ? stamp : .infinity
                drainUntil = .now + (self.clockIsMonotonic ? .seconds(5) : .milliseconds(500))
            }
            if draining && ContinuousClock.now > drainUntil { return }
            if !draining {
                // Taken before the poll: if it finds nothing, everything stamped before this was read.
                let before = Self.monotonicSeconds()
                guard self.isReadable(waitingMilliseconds: 100) else {
                    batchEnd(before)
                    continue
                }
            }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(self.pipe, $0.baseAddress, $0.count) }
            if draining && count <= 0 { return }
            guard count > 0 else { continue }
            pending.append(contentsOf: buffer[..<count])
            guard let last = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            let text = String(decoding: pending[..<last], as: UTF8.self)
            pending.removeFirst(last + 1)
            var stopped = false
            var caughtUp = false
            TraceLine.forEach(in: text) { line in
                guard let event = KernelEvent(line) else { return true }
                if event.timestamp > closedAt {
                    caughtUp = true
                    return false
                }
                stopped = !body(event)
                return !stopped
            }
            if stopped { return }
            if caughtUp {
                batchEnd(nil)
                return
            }
            // A reader delayed between its read and this point must not take a time for "read through"
            // that it has not read to: the buffer is looked at again.
            let before = Self.monotonicSeconds()
            batchEnd(draining || self.isReadable(waitingMilliseconds: 0) ? nil : before)
        }
    }

    /// Whether the trace pipe has something to read, waiting up to `waitingMilliseconds`.
    private func isReadable(waitingMilliseconds: Int32) -> Bool {
        var poller = pollfd(fd: self.pipe, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, waitingMilliseconds) > 0
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Stops reading, disables the events and removes the instance: at once, or when a running read has
    /// read what happened before this call (it notices within 0.1 s, reads on for up to 5 s, cleans up).
    public func close() {
        let now = Self.monotonicSeconds()
        self.lock.withLock {
            if self.closedAt == nil { self.closedAt = now }
        }
        self.lifecycle.close { self.release() }
    }


    /// Events the kernel dropped because this reader fell behind (its buffer was full), counted over
    /// every CPU; final once ``read(_:)`` has returned after ``close()``.
    public var lostEvents: Int {
        self.lock.withLock { self.lost } ?? Self.lostEvents(in: self.directory)
    }

    private static func lostEvents(in directory: String) -> Int {
        var lost = 0
        for cpu in 0..<Int(sysconf(Int32(_SC_NPROCESSORS_CONF))) {
            guard let text = try? String(contentsOfFile: "\(directory)/per_cpu/cpu\(cpu)/stats", encoding: .utf8) else { continue }
            lost += TraceBufferStats(text).lost
        }
        return lost
    }

    /// Counts the kernel's drops, closes the pipe, removes the instance. Called once, by ``lifecycle``.
    private func release() {
        let lost = Self.lostEvents(in: self.directory)
        self.lock.withLock { self.lost = lost }
        Glibc.close(self.pipe)
        Self.remove(self.directory)
    }

    deinit { self.close() }

    private static func remove(_ directory: String) {
        for event in Self.events { _ = Self.write("0", to: "\(directory)/events/\(event)/enable") }
        // A child being forked at this moment holds the instance's files until it execs (EBUSY): retry
        // for up to a second.
        for _ in 0..<100 {
            if rmdir(directory) == 0 || errno != EBUSY { return }
            usleep(10_000)
        }
    }

    private static func write(_ text: String, to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { Glibc.close(descriptor) }
        return text.withCString { Glibc.write(descriptor, $0, strlen($0)) } > 0
    }

    /// Where tracefs is mounted, mounting it at /sys/kernel/tracing when it is not (root only).
    private static func tracefsRoot() -> String? {
        for root in ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"] where access("\(root)/instances", F_OK) == 0 {
            return root
        }
        guard mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nil) == 0 else { return nil }
        return "/sys/kernel/tracing"
    }
}
