import NIOCore
import ResetLabSteady
import ResetLabSteadyRuntime
import Testing

@Suite struct SteadyMessagingTests {
    @Test func messagesArriveOnceInOrderAndAreAcknowledged() async throws {
        let server = try await SteadyServer.bind(host: "127.0.0.1", port: 0, configuration: Steady.quick())
        let client = try SteadyClient(host: "127.0.0.1", port: server.port, configuration: Steady.quick())
        let count = 10_000
        let received = Task { try await Steady.within(20, "\(count) messages") { try await Steady.receive(count, from: server) } }
        for batch in stride(from: 1, through: count, by: 100) {
            try await client.send(contentsOf: (batch..<batch + 100).map(Steady.payload))
        }
        #expect(try await received.value == Array(1...count))
        try await Steady.within(5, "acknowledgements") { try await client.waitUntilAcknowledged() }
        await client.close()
        await server.close()
    }

    @Test func theServerRepliesToTheSessionThatAsked() async throws {
        let server = try await SteadyServer.bind(host: "127.0.0.1", port: 0, configuration: Steady.quick())
        let echo = Task {
            for try await message in server.messages {
                try await server.send(ByteBuffer(string: "re: " + String(buffer: message.payload)), to: message.session)
            }
        }
        let client = try SteadyClient(host: "127.0.0.1", port: server.port, configuration: Steady.quick())
        let replies = try await Steady.within(30, "50 replies") {
            var replies: [String] = []
            var iterator = client.messages.makeAsyncIterator()
            for number in 1...50 {
                try await client.send(Steady.payload(number))
                guard let reply = try await iterator.next() else { break }
                replies.append(String(buffer: reply.payload))
            }
            return replies
        }
        #expect(replies == (1...50).map { "re: \($0)" })
        await client.close()
        await server.close()
        echo.cancel()
    }
}
