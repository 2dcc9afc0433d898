import ArgumentParser
import Foundation
import NIOCore
import ResetLabJSON
import ResetLabSteady
import ResetLabSteadyRuntime
import Synchronization

/// `resetlab steady send`: send numbered messages or stdin's lines, and exit once all are acknowledged.
struct SteadySendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send messages to a 'steady serve' and exit 0 once every one is acknowledged.",
        discussion: """
            Sends the messages 1 … N with --count N, or else one message per line of
            stdin. Resets, refused connects and dead connections are reported on stderr
            and survived: it reconnects with backoff (10 ms, growing 1.6× with jitter,
            at most 80 ms apart) and sends again whatever was not acknowledged.

            With --journal DIR every message is written ahead to DIR/client.journal
            before it is sent, so after kill -9 the next run with the same DIR resends
            what was not acknowledged and continues with the message after the last one
            taken: with --count it sends the rest of 1 … N; from stdin it skips as many
            lines as earlier runs took (give it the same input).

              resetlab steady send tcp://127.0.0.1:7400 --count 100000
              resetlab steady send tcp://127.0.0.1:7400 --journal /var/tmp/steady < events.txt

            Exit status: 0 when everything was acknowledged; 1 when it gave up (no
            progress for --give-up-after seconds) or the journal failed; 64 for a usage
            error.
            """
    )

    @Argument(help: ArgumentHelp("The server, e.g. tcp://127.0.0.1:7400.", valueName: "tcp://host:port"))
    var address: String

    @Option(help: ArgumentHelp("Send the messages 1 … N instead of stdin's lines.", valueName: "N"))
    var count: Int?

    @Option(help: ArgumentHelp("Write messages ahead to this directory so that a restart loses and repeats nothing.", valueName: "dir"))
    var journal: String?

    @Option(help: ArgumentHelp("Give up when nothing is taken or acknowledged for this long.", valueName: "seconds"))
    var giveUpAfter: Double = 300

    @OptionGroup var liveness: SteadyLivenessOptions

    @Flag(help: "Do not report connections and disconnections on stderr.")
    var quiet = false

    @Flag(help: "Print a JSON summary on stdout at the end.")
    var json = false

    func validate() throws {
        do {
            _ = try SteadyAddress(parsing: self.address)
        } catch {
            throw ValidationError("\(error)")
        }
        if let count = self.count, count < 0 { throw ValidationError("--count takes a number from 0 up.") }
        guard self.giveUpAfter > 0 else { throw ValidationError("--give-up-after takes a number of seconds above 0.") }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let address = try SteadyAddress(parsing: self.address)
        var configuration = SteadyConfiguration()
        configuration.journalDirectory = self.journal
        configuration.liveness = self.liveness.parameters
        let client: SteadyClient
        do {
            client = try SteadyClient(host: address.host, port: address.port, configuration: configuration)
        } catch {
            printError("resetlab steady send: \(error)")
            throw ExitCode(1)
        }
        let started = ContinuousClock.now
        let disconnects = Atomic<Int>(0)
        let quiet = self.quiet
        let reporter = Task {
            for await event in client.events {
                if case .disconnected = event { disconnects.add(1, ordering: .relaxed) }
                if !quiet, case .reconnecting = event { continue }
                if !quiet { printError("resetlab steady: \(event)") }
            }
        }
        let progress = ProgressClock()
        let skipped = client.previouslyTaken
        if skipped > 0 && !quiet {
            printError("resetlab steady: the journal holds \(skipped) messages of earlier runs; continuing after them")
        }
        let outcome: Outcome
        do {
            outcome = try await self.sendAndConfirm(client, skipping: skipped, progress: progress)
        } catch {
            await client.close()
            reporter.cancel()
            printError("resetlab steady send: \(error)")
            throw ExitCode(1)
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let unacknowledged = await client.unacknowledgedCount()
        await client.close()
        reporter.cancel()
        let reconnects = disconnects.load(ordering: .relaxed)
        if self.json {
            let summary = JSONValue.object([
                ("session", .string(client.session.description)),
                ("sent", .integer(Int64(outcome.sent))),
                ("earlierRuns", .integer(Int64(skipped))),
                ("acknowledged", .bool(outcome.confirmed)),
                ("unacknowledged", .integer(Int64(unacknowledged))),
                ("disconnects", .integer(Int64(reconnects))),
                ("seconds", .number(seconds)),
            ])
            print(summary.serialized())
        }
        if outcome.confirmed {
            if !quiet {
                printError("resetlab steady: \(outcome.sent) messages sent and acknowledged in \(String(format: "%.2f", seconds)) s (\(reconnects) disconnects survived)")
            }
        } else {
            printError("resetlab steady send: gave up: nothing was acknowledged for \(self.giveUpAfter) s; \(unacknowledged) messages remain unacknowledged" + (self.journal == nil ? "" : " (kept in the journal for the next run)"))
            throw ExitCode(1)
        }
    }

    private struct Outcome {
        var sent: Int
        var confirmed: Bool
    }

    /// Sends everything, then waits for the acknowledgements, unless nothing moves for --give-up-after.
    private func sendAndConfirm(_ client: SteadyClient, skipping skipped: UInt64, progress: ProgressClock) async throws -> Outcome {
        let count = self.count
        let limit = Duration.milliseconds(Int64(self.giveUpAfter * 1000))
        return try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    return try await Self.send(count: count, to: client, skipping: skipped, progress: progress)
                } catch where progress.gaveUp {
                    return nil
                }
            }
            group.addTask {
                var last = Int.max
                while true {
                    try await Task.sleep(for: .milliseconds(100))
                    let now = await client.unacknowledgedCount()
                    if now < last { progress.moved() }
                    last = now
                    if progress.idle > limit {
                        // Closing ends the sender's waits, which do not react to cancellation.
                        progress.giveUp()
                        await client.close()
                        return nil
                    }
                }
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first ?? Outcome(sent: 0, confirmed: false)
        }
    }

    /// Sends 1 … `count` (or stdin's lines), after the `skipped` that earlier runs took, then waits until
    /// all are acknowledged.
    private static func send(count: Int?, to client: SteadyClient, skipping skipped: UInt64, progress: ProgressClock) async throws -> Outcome {
        var sent = 0
        if let count {
            var next = Int(clamping: skipped) + 1
            while next <= count {
                let end = min(count, next + 999)
                try await client.send(contentsOf: (next...end).map { ByteBuffer(string: String($0)) })
                sent += end - next + 1
                next = end + 1
                progress.moved()
            }
        } else {
            var toSkip = skipped
            var lines = StandardInputLines()
            // Whatever one read brings is sent at once: lines from `tail -f` go out as they come.
            while let batch = lines.next() {
                var payloads = batch[...]
                if toSkip > 0 {
                    let dropped = min(UInt64(payloads.count), toSkip)
                    payloads = payloads.dropFirst(Int(dropped))
                    toSkip -= dropped
                }
                guard !payloads.isEmpty else { continue }
                try await client.send(contentsOf: payloads.map { ByteBuffer(bytes: $0) })
                sent += payloads.count
                progress.moved()
            }
        }
        try await client.waitUntilAcknowledged()
        return Outcome(sent: sent, confirmed: true)
    }
}

/// When something last moved (a batch taken or an acknowledgement received), and whether the wait
/// was given up.
private final class ProgressClock: Sendable {
    private let last = Mutex(ContinuousClock.now)
    private let abandoned = Atomic<Bool>(false)

    func moved() { self.last.withLock { $0 = .now } }
    var idle: Duration { .now - self.last.withLock { $0 } }
    func giveUp() { self.abandoned.store(true, ordering: .relaxed) }
    var gaveUp: Bool { self.abandoned.load(ordering: .relaxed) }
}

/// Lines of standard input, a read at a time: each call returns the complete lines that one `read(2)`
/// brought (without their newlines), keeping a partial last line for the next; a last line without a
/// newline counts at the end.
private struct StandardInputLines {
    private var pending: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var ended = false

    mutating func next() -> [[UInt8]]? {
        while !self.ended {
            let count = self.buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                self.ended = true
                break
            }
            self.pending.append(contentsOf: self.buffer[..<count])
            guard let lastNewline = self.pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            let lines = self.pending[..<lastNewline].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Self.line)
            self.pending.removeFirst(lastNewline + 1)
            return lines
        }
        guard !self.pending.isEmpty else { return nil }
        defer { self.pending.removeAll() }
        return [Self.line(self.pending[...])]
    }

    /// A line without a Windows line end's carriage return.
    private static func line(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.last == UInt8(ascii: "\r") ? Array(bytes.dropLast()) : Array(bytes)
    }
}
