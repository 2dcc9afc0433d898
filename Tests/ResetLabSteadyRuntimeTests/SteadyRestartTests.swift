import NIOConcurrencyHelpers
import NIOCore
import ResetLabSteady
import ResetLabSteadyRuntime
import Testing

/// Restarts of either side, with and without journals, and the limits that keep memory bounded.
@Suite struct SteadyRestartTests {
    /// Takes `count` messages from `server`, marking each delivered as it is recorded.
    static func take(_ count: Int, from server: SteadyServer) async throws -> [Int] {
        var numbers: [Int] = []
        var iterator = server.messages.makeAsyncIterator()
        while numbers.count < count, let message = try await iterator.next() {
            numbers.append(Int(String(buffer: message.payload)) ?? -1)
            try message.markDelivered()
        }
        return numbers
    }

    @Test func aServerRestartedWithItsJournalContinuesWhereItStopped() async throws {
        let serverJournal = TemporaryDirectory()
        let clientJournal = TemporaryDirectory()
        let first = try await SteadyServer.bind(host: "127.0.0.1", port: 0, configuration: Steady.quick(journal: serverJournal.path))
        let port = first.port
        let client = try SteadyClient(host: "127.0.0.1", port: port, configuration: Steady.quick(journal: clientJournal.path))
        let count = 3_000
        let sending = Task {
            for start in stride(from: 1, through: count, by: 30) {
                try await client.send(contentsOf: (start..<start + 30).map(Steady.payload))
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        var numbers = try await Steady.within(10, "first part") { try await Self.take(1_000, from: first) }
        await first.close()
        let second = try await SteadyServer.bind(host: "127.0.0.1", port: port, configuration: Steady.quick(journal: serverJournal.path))
        #expect(second.epoch == first.epoch + 1)
        numbers += try await Steady.within(20, "the rest") { try await Self.take(count - 1_000, from: second) }
        try await sending.value
        #expect(numbers == Array(1...count))
        try await Steady.within(5, "acknowledgements") { try await client.waitUntilAcknowledged() }
        await client.close()
        await second.close()
    }

    @Test func aClientRestartedWithItsJournalResendsWhatWasNotAcknowledged() async throws {
        let clientJournal = TemporaryDirectory()
        let server = try await SteadyServer.bind(host: "127.0.0.1", port: 0, configuration: Steady.quick())
        // The first run sends while nobody takes the messages, so most stay unacknowledged.
        var limited = Steady.quick(journal: clientJournal.path)
        limited.deliveryCapacity = 16
        let firstRun = try SteadyClient(host: "127.0.0.1", port: server.port, configuration: limited)
        try await firstRun.send(contentsOf: (1...500).map(Steady.payload))
        let session = firstRun.session
        await firstRun.close()
        let secondRun = try SteadyClient(host: "127.0.0.1", port: server.port, configuration: Steady.quick(journal: clientJournal.path))
        #expect(secondRun.session == session)
        #expect(secondRun.epoch == firstRun.epoch + 1)
        try await secondRun.send(contentsOf: (501...600).map(Steady.payload))
        let numbers = try await Steady.within(10, "600 messages") { try await Steady.receive(600, from: server) }
        #expect(numbers == Array(1...600))
        try await Steady.within(5, "acknowledgements") { try await secondRun.waitUntilAcknowledged() }
        await secondRun.close()
        await server.close()
    }

    @Test func aServerRestartedWithoutStateIsReportedWithWhatMayRepeat() async throws {
        let first = try await SteadyServer.bind(host: "127.0.0.1", port: 0, configuration: Steady.quick())
        let port = first.port
        let client = try SteadyClient(host: "127.0.0.1", port: port, configuration: Steady.quick())
        let restarts = Task { () -> SteadyEvent? in
            for await event in client.events { if case .peerRestarted = event { return event } }
            return nil
        }
        try await client.send(contentsOf: (1...10).map(Steady.payload))
        #expect(try await Steady.within(5, "10 messages") { try await Steady.receive(10, from: first) } == Array(1...10))
        try await Steady.within(5, "acknowledgements") { try await client.waitUntilAcknowledged() }
        await first.close()
        let second = try await SteadyServer.bind(host: "127.0.0.1", port: port, configuration: Steady.quick())
        try await client.send(Steady.payload(11))
        #expect(try await Steady.within(5, "message 11") { try await Steady.receive(1, from: second) } == [11])
        let event = try await Steady.within(5, "restart event") { await restarts.value }
        guard case .peerRestarted(let keptState, let mayRepeat) = event else {
            Issue.record("no restart event")
            return
        }
        #expect(!keptState)
        // 1…10 were acknowledged and can never repeat; 11 may have reached the old server.
        #expect(mayRepeat.map { $0.lowerBound >= 11 } ?? true, "\(String(describing: mayRepeat))")
        await client.close()
        await second.close()
    }

    @Test func aFullWindowMakesSendWaitAndLosesNothing() async throws {
        var configuration = Steady.quick()
        configuration.deliveryCapacity = 10
        configuration.sendLimits = .init(messages: 100)
        let server = try await SteadyServer.bind(host: "127.0.0.1", port: 0, configuration: configuration)
        let client = try SteadyClient(host: "127.0.0.1", port: server.port, configuration: configuration)
        let sent = NIOLockedValueBox(false)
        let sending = Task {
            try await client.send(contentsOf: (1...1_000).map(Steady.payload))
            sent.withLockedValue { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(!sent.withLockedValue { $0 }, "send returned although nothing was taken and the window holds 100")
        #expect(await client.unacknowledgedCount() == 1_000)
        let numbers = try await Steady.within(10, "1000 messages") { try await Steady.receive(1_000, from: server) }
        #expect(numbers == Array(1...1_000))
        try await sending.value
        await client.close()
        await server.close()
    }

    @Test func anOversizedMessageIsRefusedBeforeItIsSent() async throws {
        var configuration = Steady.quick()
        configuration.maximumPayload = 1_000
        let server = try await SteadyServer.bind(host: "127.0.0.1", port: 0, configuration: configuration)
        let client = try SteadyClient(host: "127.0.0.1", port: server.port, configuration: configuration)
        await #expect(throws: SteadyError.self) { try await client.send(ByteBuffer(repeating: 1, count: 1_001)) }
        try await client.send(ByteBuffer(repeating: 2, count: 1_000))
        try await Steady.within(5, "acknowledgement") {
            var iterator = server.messages.makeAsyncIterator()
            let message = try await iterator.next()
            try message?.markDelivered()
            try await client.waitUntilAcknowledged()
        }
        await client.close()
        await server.close()
    }
}
