import Foundation
import NIOCore
import ResetLabSteady
import ResetLabSteadyRuntime

/// Helpers shared by the runtime tests: fast liveness settings, collecting what a server receives, and
/// a time limit so that a broken guarantee fails a test instead of hanging it.
enum Steady {
    /// Settings that detect a dead peer in about a second, so that fault tests run quickly.
    static func quick(journal: String? = nil) -> SteadyConfiguration {
        var configuration = SteadyConfiguration()
        configuration.liveness = .init(heartbeatInterval: 0.2, deadAfter: 1)
        configuration.journalDirectory = journal
        return configuration
    }

    static func payload(_ number: Int) -> ByteBuffer { ByteBuffer(string: String(number)) }

    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out: \(self.what)" }
    }

    /// Runs `body`, failing after `seconds`. The body keeps running in the background when it does not
    /// react to cancellation (a wait on a broken guarantee), so the test fails instead of hanging.
    static func within<T: Sendable>(_ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = AsyncStream<Result<T, any Error>>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let work = Task {
            do { outcome.continuation.yield(.success(try await body())) } catch { outcome.continuation.yield(.failure(error)) }
        }
        let timer = Task {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            outcome.continuation.yield(.failure(TimedOut(what: what)))
        }
        var iterator = outcome.stream.makeAsyncIterator()
        let first = await iterator.next()
        outcome.continuation.finish()
        timer.cancel()
        work.cancel()
        guard let first else { throw TimedOut(what: what) }
        return try first.get()
    }

    /// Takes `count` messages from `server` and returns their payloads as numbers, in arrival order.
    static func receive(_ count: Int, from server: SteadyServer) async throws -> [Int] {
        var numbers: [Int] = []
        var iterator = server.messages.makeAsyncIterator()
        var last: SteadyMessage?
        while numbers.count < count, let message = try await iterator.next() {
            numbers.append(Int(String(buffer: message.payload)) ?? -1)
            last = message
        }
        // The iterator marks a message delivered when the next is asked for; the last one is marked here.
        try last?.markDelivered()
        return numbers
    }
}

/// A temporary directory removed when the value goes away.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        self.path = NSTemporaryDirectory() + "steady-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: self.path) }
}
