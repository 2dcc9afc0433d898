import CResetLabLinux
import Foundation
import ResetLabCapture
import ResetLabWatch
@testable import ResetLabWatchRuntime
import Testing

/// Resets on loopback as an AF_PACKET socket sees them (each one twice: leaving and arriving). Needs root or
/// CAP_NET_RAW; under CI (as root) these run, and without root outside CI they are skipped.
@Suite(.serialized) struct PacketResetCaptureTests {
    static let enabled = getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true"

    /// Reads a capture on a thread of its own, keeping what `keep` accepts.
    final class Collector: @unchecked Sendable {
        let capture: PacketResetCapture
        private let lock = NSLock()
        private var kept: [KernelEvent] = []
        private var done = false
        /// The reading thread's CPU time, in seconds, once the read returned.
        private(set) var cpuSeconds = 0.0

        init(_ capture: PacketResetCapture, keep: @escaping @Sendable (KernelEvent) -> Bool) {
            self.capture = capture
            Thread {
                let start = Self.threadCPU()
                capture.read { event in
                    if keep(event) { self.lock.withLock { self.kept.append(event) } }
                    return true
                }
                let used = Self.threadCPU() - start
                self.lock.withLock {
                    self.cpuSeconds = used
                    self.done = true
                }
            }.start()
        }

        var events: [KernelEvent] { self.lock.withLock { self.kept } }
        var finished: Bool { self.lock.withLock { self.done } }

        /// Waits up to `seconds` for `condition` on the events kept so far; returns them.
        func wait(seconds: Double, until condition: ([KernelEvent]) -> Bool) -> [KernelEvent] {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, !condition(self.events) { Thread.sleep(forTimeInterval: 0.01) }
            return self.events
        }

        /// Closes the capture and waits up to `seconds` for the read to return.
        func stop(within seconds: Double = 2) -> Bool {
            self.capture.close()
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, !self.finished { Thread.sleep(forTimeInterval: 0.005) }
            return self.finished
        }

        static func threadCPU() -> Double {
            var now = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        }
    }

    /// A connect to a loopback port that is bound and not listening, captured: the server's and the
    /// client's ends, what connect(2) failed with, and the events seen on the server's port.
    static func refusedConnect(
        family: Int32, address: String
    ) async throws -> (server: TraceEndpoint, client: TraceEndpoint, error: Int32, events: [KernelEvent]) {
        let capture = try PacketResetCapture()
        let refusing = try LoopbackSocket.bound(family: family)
        defer { close(refusing.fd) }
        let server = TraceEndpoint(address: address, port: refusing.port)
        let collector = Collector(capture) { $0.local == server || $0.remote == server }
        let (client, error, events) = try await Self.onThread { () -> (Int, Int32, [KernelEvent]) in
            let (client, error) = LoopbackSocket.connect(family: family, port: refusing.port)
            return (client, error, collector.wait(seconds: 10) { $0.count >= 2 })
        }
        #expect(collector.stop())
        return (server, TraceEndpoint(address: address, port: client), error, events)
    }

    @Test(.enabled(if: enabled)) func aRefusedConnectIsSentByTheServerEndAndReceivedByTheClient() async throws {
        let (server, clientEnd, error, events) = try await Self.refusedConnect(family: AF_INET, address: "127.0.0.1")
        #expect(error == ECONNREFUSED)
        let sent = try #require(events.first { $0.kind == .sentReset(reason: nil) }, "\(events)")
        #expect(sent.local == server)
        #expect(sent.remote == clientEnd)
        #expect(sent.state == nil)
        let received = try #require(events.first { $0.kind == .receivedReset }, "\(events)")
        #expect(received.local == clientEnd)
        #expect(received.remote == server)
        #expect(events.count == 2, "one reset, seen leaving and arriving: \(events)")
        // On CLOCK_MONOTONIC, like the tracepoints: a moment ago.
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let monotonic = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        #expect(sent.timestamp <= monotonic && sent.timestamp > monotonic - 15, "\(sent.timestamp) vs \(monotonic)")
        #expect(abs(received.timestamp - sent.timestamp) < 1)
    }

    @Test(.enabled(if: enabled)) func aRefusedConnectOverIPv6IsCapturedToo() async throws {
        let (server, clientEnd, error, events) = try await Self.refusedConnect(family: AF_INET6, address: "::1")
        #expect(error == ECONNREFUSED)
        let sent = try #require(events.first { $0.kind == .sentReset(reason: nil) }, "\(events)")
        #expect(sent.local == server && sent.remote == clientEnd)
        let received = try #require(events.first { $0.kind == .receivedReset }, "\(events)")
        #expect(received.local == clientEnd && received.remote == server)
        #expect(sent.local.description == "[::1]:\(server.port)")
    }

    @Test(.enabled(if: enabled)) func anAbortiveCloseIsSentByTheClosingEnd() async throws {
        let capture = try PacketResetCapture()
        let listener = try LoopbackSocket.listening(family: AF_INET)
        defer { close(listener.fd) }
        let server = TraceEndpoint(address: "127.0.0.1", port: listener.port)
        let collector = Collector(capture) { $0.local == server || $0.remote == server }
        let (client, readError, events) = try await Self.onThread { () -> (Int, Int32, [KernelEvent]) in
            let client = try LoopbackSocket.connected(family: AF_INET, port: listener.port)
            defer { close(client.fd) }
            let accepted = accept(listener.fd, nil, nil)
            // SO_LINGER {1, 0}: close() sends RST instead of FIN.
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(accepted, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(accepted)
            var byte: UInt8 = 0
            let readError = recv(client.fd, &byte, 1, 0) < 0 ? errno : 0
            return (client.port, readError, collector.wait(seconds: 10) { $0.count >= 2 })
        }
        #expect(collector.stop())
        #expect(readError == ECONNRESET)
        let clientEnd = TraceEndpoint(address: "127.0.0.1", port: client)
        let sent = try #require(events.first { $0.kind == .sentReset(reason: nil) }, "\(events)")
        #expect(sent.local == server)
        #expect(sent.remote == clientEnd)
        let received = try #require(events.first { $0.kind == .receivedReset }, "\(events)")
        #expect(received.local == clientEnd)
        #expect(received.remote == server)
        #expect(events.count == 2, "\(events)")
    }

    @Test(.enabled(if: enabled)) func closeEndsARunningReadAndLaterReadsReturnAtOnce() async throws {
        let capture = try PacketResetCapture()
        let collector = Collector(capture) { _ in false }
        try await Task.sleep(for: .milliseconds(50))
        let stopped = try await Self.onThread { collector.stop(within: 1) }
        #expect(stopped, "read() returns within a second of close()")
        let start = Date()
        capture.read { _ in true }
        #expect(Date().timeIntervalSince(start) < 0.1)
        #expect(capture.droppedPackets == 0)
    }

    @Test(.enabled(if: enabled)) func idleItUsesAlmostNoCPU() async throws {
        let capture = try PacketResetCapture()
        let seen = Counter()
        let collector = Collector(capture) { _ in
            seen.add()
            return false
        }
        try await Task.sleep(for: .seconds(2))
        let stopped = try await Self.onThread { collector.stop() }
        try #require(stopped)
        // 2 % of one core over two seconds is 40 ms; idle, the reader wakes ten times a second. Resets from
        // suites running alongside get 0.1 ms each (a debug build takes about 10 µs).
        let budget = 0.04 + Double(seen.value) * 0.000_1
        #expect(collector.cpuSeconds < budget, "\(collector.cpuSeconds) s of CPU in 2 s, \(seen.value) resets seen")
    }

    @Test(.enabled(if: enabled)) func aFloodOfFiftyThousandResetsInASecondIsCapturedWhole() async throws {
        // The queue holds the whole flood (about 800 bytes a packet), so a debug build on a busy CI machine
        // may fall behind and still lose nothing; a release build keeps up as it comes (see the report).
        let capture = try PacketResetCapture(receiveBufferBytes: 96 << 20)
        // Crafted RSTs from 127.0.0.3 (nothing answers a RST): each is seen leaving and arriving.
        let marker = "127.0.0.3"
        let collector = Collector(capture) { $0.local.address == marker || $0.remote.address == marker }
        let total = 50_000
        let sent = try await Self.onThread { try RawResets.send(count: total, perSecond: 50_000, from: [127, 0, 0, 3]) }
        let events = try await Self.onThread { collector.wait(seconds: 30) { $0.count >= 2 * sent } }
        let dropped = capture.droppedPackets
        #expect(try await Self.onThread { collector.stop() })
        #expect(sent == total)
        #expect(dropped == 0)
        #expect(events.count == 2 * sent)
        #expect(events.filter { $0.kind == .receivedReset }.count == sent)
        let received = events.filter { $0.kind == .receivedReset }
        #expect(received.allSatisfy { $0.local.address == "127.0.0.1" && $0.local.port == 9 && $0.remote.address == marker })
    }

    /// A count shared with the reading thread.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { self.lock.withLock { self.count += 1 } }
        var value: Int { self.lock.withLock { self.count } }
    }

    /// Runs blocking work on a thread of its own, off the cooperative pool other suites need.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

/// What a failed start says, and the host's own addresses; no root needed.
@Suite struct PacketResetCaptureSetupTests {
    @Test func withoutThePrivilegeTheFailureSaysWhatIsMissingAndHowToGetIt() {
        let failure = PacketResetCapture.Failure(code: EPERM, step: Int32(RL_RESET_CAPTURE_STEP_SOCKET))
        #expect(failure.code == EPERM)
        #expect(failure.description.contains("needs root or CAP_NET_RAW"))
        #expect(failure.description.contains("setcap cap_net_raw+ep"))
        #expect(failure.description.contains("--cap-add NET_RAW"))
    }

    @Test func aKernelWithoutPacketSocketsIsNamed() {
        let failure = PacketResetCapture.Failure(code: EAFNOSUPPORT, step: Int32(RL_RESET_CAPTURE_STEP_SOCKET))
        #expect(failure.description.contains("no AF_PACKET sockets"))
        #expect(failure.description.contains("CONFIG_PACKET"))
        let filter = PacketResetCapture.Failure(code: EINVAL, step: Int32(RL_RESET_CAPTURE_STEP_FILTER))
        #expect(filter.description.contains("packet filter"))
    }

    @Test func theHostsAddressesIncludeLoopback() {
        let hosts = HostAddresses.current()
        #expect(hosts.addresses.contains(IPAddress(ipv4: 0x7f00_0001)))
        #expect(hosts.loopbackInterfaces.contains(Int32(if_nametoindex("lo"))))
    }
}

/// Crafted TCP RSTs to 127.0.0.1 through a raw socket (root), at a steady rate.
enum RawResets {
    /// Sends `count` RSTs from `source` to 127.0.0.1:9; returns how many went out. The source ports lie below
    /// the ephemeral range, so that suites running alongside, whose sockets all have ephemeral ports and
    /// whose captures filter on a port, never see these (they once did: a tcpdump of "tcp port P" caught a
    /// crafted RST from 127.0.0.3:P).
    static func send(count: Int, perSecond: Int, from source: [UInt8]) throws -> Int {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let ephemeralLow = range.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 32_768
        let ports = max(1, min(20_000, ephemeralLow - 1_024))
        let fd = socket(AF_INET, Int32(SOCK_RAW.rawValue), Int32(IPPROTO_RAW))
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM) }
        defer { close(fd) }
        var destination = sockaddr_in()
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_addr.s_addr = inet_addr("127.0.0.1")
        // IPv4 (the kernel fills in the checksum and the identification), then TCP with RST.
        var packet: [UInt8] = [0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0] + source + [127, 0, 0, 1]
        packet += [0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x04, 0, 0, 0, 0, 0, 0]
        let start = DispatchTime.now().uptimeNanoseconds
        var sent = 0
        for index in 0..<count {
            if index % 50 == 0 {
                let due = start + UInt64(index) * 1_000_000_000 / UInt64(perSecond)
                let now = DispatchTime.now().uptimeNanoseconds
                if due > now { usleep(UInt32((due - now) / 1000)) }
            }
            let port = UInt16(1_024 + index % ports)
            packet[20] = UInt8(port >> 8)
            packet[21] = UInt8(port & 0xff)
            packet[24] = UInt8(index >> 24 & 0xff)
            packet[25] = UInt8(index >> 16 & 0xff)
            packet[26] = UInt8(index >> 8 & 0xff)
            packet[27] = UInt8(index & 0xff)
            let written = packet.withUnsafeBytes { bytes in
                withUnsafePointer(to: &destination) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            if written == packet.count { sent += 1 }
        }
        return sent
    }
}
