import CResetLabLinux
import Foundation
import ResetLabWatch

/// Every TCP reset this host sends or receives, captured with an AF_PACKET socket on all interfaces: the
/// fallback of `watch` when tracefs is out of reach. A classic BPF filter in the kernel keeps only TCP
/// segments with RST set, so the process is woken for resets alone, and reads take up to 64 at a time.
///
/// What the wire cannot tell is left out of the events: the kernel's reason (resets sent are
/// `.sentReset(reason: nil)`), the socket's state and cookie, the running task. Resets this host only
/// forwards (a router, a bridge to containers) are not reported: a reset is this host's when its local end
/// is one of the host's addresses or it crossed a loopback interface. The copies of one reset seen on
/// several interfaces (an address on a bridge, a VLAN, a bond) are reported once. IPv6 resets behind
/// extension headers are not captured (the kernel filter looks for TCP right after the fixed header).
public final class PacketResetCapture: @unchecked Sendable {
    /// Why a capture could not start, and what to do about it.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// The errno from the kernel.
        public var code: Int32
    }

    /// The most packets one read takes.
    private static let batch = 64
    /// Bytes kept of each packet: the kernel filter cuts at 160, room for the IP and TCP headers.
    private static let slot = 160

    private let fd: Int32
    /// Who closes the socket; the drop count is read and added to only while it is open.
    private let lifecycle = ReaderLifecycle()
    // Guarded by `lifecycle`'s lock (``ReaderLifecycle/whileOpen(_:)`` and the release).
    private var dropped = 0

    /// Opens the packet socket with its filter.
    /// - Parameter receiveBufferBytes: the kernel's queue for resets not yet read: 8 MiB holds about 20,000
    ///   (each takes about 800 bytes of it), 0.2 s of 50,000 resets a second on loopback, where each is seen
    ///   twice. A reader that keeps up needs far less; the memory is only taken while resets wait.
    /// - Throws: ``Failure`` saying what is missing (root or CAP_NET_RAW, AF_PACKET support).
    public init(receiveBufferBytes: Int = 8 << 20) throws(Failure) {
        var step: Int32 = 0
        let fd = rl_reset_capture_open(Int32(clamping: receiveBufferBytes), &step)
        guard fd >= 0 else { throw Failure(code: -fd, step: step) }
        self.fd = fd
    }

    /// Resets the kernel dropped so far because the reader fell behind (its queue was full).
    public var droppedPackets: Int {
        // Once released, the count is final (its last write happened under the lock whileOpen took).
        self.lifecycle.whileOpen {
            self.collectDrops()
            return self.dropped
        } ?? self.dropped
    }

    /// Reads resets until ``close()`` or `body` returns `false`, calling `body` for each, with
    /// ``KernelEvent/timestamp`` in seconds on CLOCK_MONOTONIC like the tracepoints' (from the kernel's
    /// receive timestamp, converted with the wall clock's offset at the time of the read). Blocks: run it on
    /// a thread of its own. `batchEnd` is called after each batch of packets read at once, and every 0.1 s
    /// while nothing comes, with the monotonic time of a read that emptied the socket's queue (nil when
    /// the batch was full and more may be queued).
    public func read(batchEnd: (_ readThrough: Double?) -> Void = { _ in }, _ body: (KernelEvent) -> Bool) {
        guard self.lifecycle.beginRead() else { return }
        defer { self.lifecycle.endRead { self.release() } }
        var reader = BatchReader(fd: self.fd)
        defer { reader.deallocate() }
        var hosts = HostAddresses.current()
        var hostsListed = rl_monotonic_nanoseconds()
        var copies = DuplicateResetFilter()
        var drainUntil: Int64?
        var dropsCounted = rl_monotonic_nanoseconds()
        while true {
            let now = rl_monotonic_nanoseconds()
            // After close(), what the kernel already queued is still read, so that nothing from before the
            // end is left out; for half a second at most, as a busy host keeps adding resets.
            if drainUntil == nil && self.lifecycle.isClosed { drainUntil = now + 500_000_000 }
            if let drainUntil, now > drainUntil { return }
            if now - dropsCounted > 1_000_000_000 {
                dropsCounted = now
                self.lifecycle.whileOpen { self.collectDrops() }
            }
            let count = reader.read()
            if count < 0 {
                if drainUntil != nil { return }
                usleep(100_000)  // not expected on a packet socket; never spin on it
                continue
            }
            // `now` was taken before the read: a read that emptied the queue has given every packet from before it.
            let readThrough = count < Self.batch ? Double(now) / 1e9 : nil
            if count == 0 {
                if drainUntil != nil { return }
                batchEnd(readThrough)
                _ = rl_reset_capture_wait(self.fd, 100)
                continue
            }
            let offset = rl_realtime_nanoseconds() - rl_monotonic_nanoseconds()
            for index in 0..<count {
                guard let packet = reader.packet(index), let reset = CapturedReset(ipPacket: packet.bytes) else {
                    continue
                }
                if !hosts.owns(reset, direction: packet.direction, interface: packet.interface) {
                    // An address added since the last look, or forwarded traffic: look again, once a second
                    // at most.
                    guard now - hostsListed > 1_000_000_000 else { continue }
                    hosts = HostAddresses.current()
                    hostsListed = now
                    guard hosts.owns(reset, direction: packet.direction, interface: packet.interface) else { continue }
                }
                let nanoseconds = packet.realtime > 0 ? packet.realtime - offset : now
                let timestamp = Double(nanoseconds) / 1e9
                if copies.isCopy(reset, direction: packet.direction, interface: packet.interface, timestamp: timestamp) {
                    continue
                }
                if !body(KernelEvent(reset, direction: packet.direction, timestamp: timestamp)) { return }
            }
            batchEnd(readThrough)
            // Under a burst, a millisecond's pause lets the next read take many resets at once instead of
            // waking for each.
            if count < Self.batch && drainUntil == nil { usleep(1000) }
        }
    }

    /// Stops reading and closes the socket: at once, or within 0.1 s when a read is running (it notices,
    /// reads what was already queued, and closes).
    public func close() {
        self.lifecycle.close { self.release() }
    }

    deinit { self.close() }

    /// Adds the kernel's drop counter (which restarts at each look) to the total. Only while the socket is
    /// open, under the lifecycle's lock.
    private func collectDrops() {
        let drops = rl_reset_capture_drops(self.fd)
        if drops > 0 { self.dropped += Int(drops) }
    }

    /// The last drop count, then the socket closed. Called once, by ``lifecycle``.
    private func release() {
        self.collectDrops()
        _ = rl_close(self.fd)
    }

    /// One read's packets and what the kernel said of each.
    private struct BatchReader {
        let fd: Int32
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: PacketResetCapture.batch * PacketResetCapture.slot, alignment: 8)
        var lengths = [Int32](repeating: 0, count: PacketResetCapture.batch)
        var types = [Int32](repeating: 0, count: PacketResetCapture.batch)
        var interfaces = [Int32](repeating: 0, count: PacketResetCapture.batch)
        var stamps = [Int64](repeating: 0, count: PacketResetCapture.batch)

        init(fd: Int32) { self.fd = fd }

        /// Takes what is queued, without waiting: how many packets, or -errno.
        mutating func read() -> Int {
            let base = self.buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return Int(rl_reset_capture_read(
                self.fd, base, PacketResetCapture.slot, Int32(PacketResetCapture.batch), &self.lengths, &self.types,
                &self.interfaces, &self.stamps))
        }

        /// Packet `index` of the last read; `nil` when it went neither in nor out of this host.
        func packet(_ index: Int) -> (bytes: UnsafeRawBufferPointer, direction: PacketDirection, interface: Int32, realtime: Int64)? {
            guard let direction = PacketDirection(packetType: self.types[index]) else { return nil }
            let start = index * PacketResetCapture.slot
            let length = min(max(0, Int(self.lengths[index])), PacketResetCapture.slot)
            let bytes = UnsafeRawBufferPointer(rebasing: self.buffer[start..<(start + length)])
            return (bytes, direction, self.interfaces[index], self.stamps[index])
        }

        func deallocate() { self.buffer.deallocate() }
    }
}
