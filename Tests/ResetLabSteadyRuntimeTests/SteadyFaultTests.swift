import NIOConcurrencyHelpers
import NIOCore
import ResetLabProxyServer
import ResetLabSteady
import ResetLabSteadyRuntime
import Testing

/// Steady through the ResetLab proxy's faults: whatever the connection suffers, every message arrives
/// exactly once and in order.
@Suite struct SteadyFaultTests {
    /// A server, a proxy in front of it and a client of the proxy, plus the client's events.
    struct Rig {
        let server: SteadyServer
        let proxy: ResetLabProxyServer
        let client: SteadyClient
        let disconnects: NIOLockedValueBox<[SteadyError]>
        let watcher: Task<Void, Never>

        /// `serverConfiguration` defaults to `configuration`.
        static func start(_ configuration: SteadyConfiguration = Steady.quick(), server serverConfiguration: SteadyConfiguration? = nil) async throws -> Rig {
            let server = try await SteadyServer.bind(host: "127.0.0.1", port: 0, configuration: serverConfiguration ?? configuration)
            let proxy = try await ResetLabProxyServer.start(threads: 1)
            let listen = try await proxy.createProxy(name: "steady", upstream: "127.0.0.1:\(server.port)")
            let port = Int(listen.split(separator: ":").last ?? "") ?? 0
            let client = try SteadyClient(host: "127.0.0.1", port: port, configuration: configuration)
            let disconnects = NIOLockedValueBox<[SteadyError]>([])
            let watcher = Task {
                for await event in client.events {
                    if case .disconnected(let error) = event { disconnects.withLockedValue { $0.append(error) } }
                }
            }
            return Rig(server: server, proxy: proxy, client: client, disconnects: disconnects, watcher: watcher)
        }

        func stop() async {
            await self.client.close()
            await self.server.close()
            await self.proxy.shutdown()
            self.watcher.cancel()
        }

        /// Sends `1…count` in batches of 50 spread over `duration`, so that faults land mid-stream.
        func sendNumbers(_ count: Int, over duration: Duration) -> Task<Void, any Error> {
            let client = self.client
            let pause = duration / max(1, count / 50)
            return Task {
                for start in stride(from: 1, through: count, by: 50) {
                    try await client.send(contentsOf: (start..<min(start + 50, count + 1)).map(Steady.payload))
                    try await Task.sleep(for: pause)
                }
            }
        }
    }

    /// Adds the toxic, waits, removes it, `times` times, while `count` messages flow; then checks them.
    func survives(
        _ type: String, attributes: [String: Int], stream: String = "downstream", times: Int, hold: Int, count: Int,
        configuration: SteadyConfiguration = Steady.quick()
    ) async throws -> [SteadyError] {
        let rig = try await Rig.start(configuration)
        let received = Task { try await Steady.within(60, "\(count) messages") { try await Steady.receive(count, from: rig.server) } }
        let sending = rig.sendNumbers(count, over: .milliseconds(times * (60 + hold) + 100))
        for round in 0..<times {
            try await Task.sleep(for: .milliseconds(60))
            try await rig.proxy.addToxic(to: "steady", type: type, name: "fault\(round)", stream: stream, attributes: attributes)
            try await Task.sleep(for: .milliseconds(hold))
            try await rig.proxy.removeToxic(from: "steady", named: "fault\(round)")
        }
        try await sending.value
        let numbers = try await received.value
        #expect(numbers.count == count)
        #expect(numbers == Array(1...count), "first out of place: \(numbers.enumerated().first { $0.offset + 1 != $0.element }.map { "#\($0.offset + 1) was \($0.element)" } ?? "none")")
        try await Steady.within(10, "acknowledgements") { try await rig.client.waitUntilAcknowledged() }
        let disconnects = rig.disconnects.withLockedValue { $0 }
        await rig.stop()
        return disconnects
    }

    @Test func resetPeerLosesAndRepeatsNothing() async throws {
        let disconnects = try await self.survives("reset_peer", attributes: ["timeout": 10], times: 6, hold: 40, count: 20_000)
        #expect(disconnects.count >= 3)
        // NIO reports a RST that arrives with nothing to read as the connection's end without an error;
        // on a loaded machine the 1 s liveness budget may also run out. Never a protocol violation.
        #expect(disconnects.contains { $0.kind == .reset || $0.kind == .closed }, "\(disconnects)")
        #expect(disconnects.allSatisfy { [.reset, .closed, .refused, .timedOut].contains($0.kind) }, "\(disconnects)")
    }

    @Test func aCrashedAndRestartedServerLosesAndRepeatsNothing() async throws {
        let disconnects = try await self.survives("crash_restart", attributes: ["duration": 150], times: 4, hold: 200, count: 10_000)
        #expect(disconnects.count >= 2)
        #expect(disconnects.contains { $0.kind == .refused }, "connects during the crash are refused")
    }

    @Test func halfCloseThenResetLosesAndRepeatsNothing() async throws {
        let disconnects = try await self.survives("half_close_reset", attributes: ["delay": 5], times: 5, hold: 60, count: 10_000)
        #expect(disconnects.count >= 3)
        #expect(disconnects.contains { $0.kind == .closed || $0.kind == .reset })
    }

    @Test func aSilentlyDroppedConnectionIsDetectedAndResumed() async throws {
        // Heartbeats slower than the middlebox's idle limit, so that a pause lets it forget the connection.
        var configuration = Steady.quick()
        configuration.liveness = .init(heartbeatInterval: 0.4, deadAfter: 1)
        let rig = try await Rig.start(configuration, server: Self.patientServer)
        let received = Task { try await Steady.within(30, "200 messages") { try await Steady.receive(200, from: rig.server) } }
        try await rig.client.send(contentsOf: (1...100).map(Steady.payload))
        try await Steady.within(10, "first half acknowledged") { try await rig.client.waitUntilAcknowledged() }
        // The middlebox forgets connections idle for 150 ms; heartbeats come every 400 ms.
        try await rig.proxy.addToxic(to: "steady", type: "idle_drop", name: "nat", attributes: ["idle": 150])
        try await Task.sleep(for: .milliseconds(600))
        // The proxy now drops whatever this connection carries, for good; only liveness can tell.
        try await rig.proxy.removeToxic(from: "steady", named: "nat")
        try await rig.client.send(contentsOf: (101...200).map(Steady.payload))
        #expect(try await received.value == Array(1...200))
        let disconnects = rig.disconnects.withLockedValue { $0 }
        #expect(disconnects.contains { $0.kind == .timedOut }, "\(disconnects)")
        await rig.stop()
    }

    /// The server delivered everything but its acknowledgements were lost with the connection: the
    /// next handshake's position acknowledges them, and `waitUntilAcknowledged` returns.
    @Test func acknowledgementsLostWithAConnectionComeWithTheNextHandshake() async throws {
        let rig = try await Rig.start(server: Self.patientServer)
        try await rig.client.send(Steady.payload(1))
        #expect(try await Steady.within(5, "first message") { try await Steady.receive(1, from: rig.server) } == [1])
        try await Steady.within(5, "first message acknowledged") { try await rig.client.waitUntilAcknowledged() }
        // Nothing from the server reaches the client any more: no acknowledgement, no heartbeat.
        try await rig.proxy.addToxic(to: "steady", type: "timeout", name: "mute", attributes: ["timeout": 0])
        try await rig.client.send(contentsOf: (2...100).map(Steady.payload))
        #expect(try await Steady.within(5, "the rest") { try await Steady.receive(99, from: rig.server) } == Array(2...100))
        try await Steady.within(5, "the client gives the muted connection up") {
            while !rig.disconnects.withLockedValue({ $0.contains { $0.kind == .timedOut } }) {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        try await rig.proxy.removeToxic(from: "steady", named: "mute")
        try await Steady.within(10, "acknowledged by the next handshake") { try await rig.client.waitUntilAcknowledged() }
        #expect(await rig.client.unacknowledgedCount() == 0)
        await rig.stop()
    }

    /// A server that would notice the silence only after 30 s: the client must find out by itself (a
    /// quicker server resets the connection, and the client learns it from the RST).
    static var patientServer: SteadyConfiguration {
        var configuration = Steady.quick()
        configuration.liveness = .init(heartbeatInterval: 0.2, deadAfter: 30)
        return configuration
    }

    @Test func aBlackholedConnectionIsDeclaredDeadWithinTheBudget() async throws {
        let rig = try await Rig.start(server: Self.patientServer)
        try await rig.client.send(Steady.payload(1))
        #expect(try await Steady.within(5, "first message") { try await Steady.receive(1, from: rig.server) } == [1])
        try await Steady.within(5, "first message acknowledged") { try await rig.client.waitUntilAcknowledged() }
        // Both directions stop carrying anything, as with a peer whose machine froze.
        try await rig.proxy.addToxic(to: "steady", type: "timeout", name: "down", attributes: ["timeout": 0])
        try await rig.proxy.addToxic(to: "steady", type: "timeout", name: "up", stream: "upstream", attributes: ["timeout": 0])
        let started = ContinuousClock.now
        try await Steady.within(4, "dead-peer detection") {
            while !rig.disconnects.withLockedValue({ $0.contains { $0.kind == .timedOut } }) {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let detectedAfter = ContinuousClock.now - started
        // The budget is 1 s from the last frame heard; timers on a loaded machine may fire late, and the
        // next way out (a reconnect's 2 s handshake timeout) would take longer than this bound.
        #expect(detectedAfter < .milliseconds(1_900), "declared dead after \(detectedAfter): \(rig.disconnects.withLockedValue { $0 })")
        #expect(rig.disconnects.withLockedValue { $0.first?.detail.contains("nothing from the peer") } == true)
        await rig.stop()
    }
}
