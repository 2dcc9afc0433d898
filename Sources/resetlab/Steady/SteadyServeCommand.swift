import ArgumentParser
import Foundation
import NIOCore
import ResetLabSteady
import ResetLabSteadyRuntime

/// `resetlab steady serve`: receive messages and write each payload to stdout as one line, exactly once.
struct SteadyServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive messages and print each payload as one line on stdout, in order, exactly once.",
        discussion: """
            Connections, resets and restarts are reported on stderr; stdout carries only
            the messages. Several clients may send at once (each in its own order).

            With --journal DIR the delivery positions are written ahead to DIR/server.journal,
            so after kill -9 a restarted server neither repeats nor skips a message. For
            that, stdout must be a regular file opened for appending (>>): at start-up the
            server compares its size with the journal to learn whether the last line was
            written, and cuts off a partly written one. On a pipe or terminal the last
            line before a crash may be printed twice.

              resetlab steady serve --listen 127.0.0.1:7400 >> received.txt
              resetlab steady serve --listen 0.0.0.0:7400 --journal /var/lib/steady >> received.txt

            Exit status: 0 after SIGINT or SIGTERM; 1 when it cannot listen, open the
            journal or write to stdout; 64 for a usage error.
            """
    )

    @Option(help: ArgumentHelp("Address to listen on (port 0: any free port, printed on stderr).", valueName: "host:port"))
    var listen = "127.0.0.1:7400"

    @Option(help: ArgumentHelp("Keep delivery positions in this directory so that a restart repeats nothing.", valueName: "dir"))
    var journal: String?

    @OptionGroup var liveness: SteadyLivenessOptions

    @Flag(help: "Do not report connections and disconnections on stderr.")
    var quiet = false

    func validate() throws {
        do {
            _ = try SteadyAddress(parsing: self.listen, allowPortZero: true)
        } catch {
            throw ValidationError("--listen \(error)")
        }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let address = try SteadyAddress(parsing: self.listen, allowPortZero: true)
        let output = SteadyOutput()
        var configuration = SteadyConfiguration()
        configuration.journalDirectory = self.journal
        configuration.liveness = self.liveness.parameters
        configuration.resolvePendingDelivery = { _, pending in output.reconcile(pending) }
        let termination = TerminationSignal.install(for: [SIGINT, SIGTERM])
        let server: SteadyServer
        do {
            server = try await SteadyServer.bind(host: address.host, port: address.port, configuration: configuration)
        } catch {
            printError("resetlab steady serve: \(error)")
            throw ExitCode(1)
        }
        let where_ = SteadyAddress(host: address.host, port: server.port)
        printError("resetlab steady: listening on \(where_)" + (self.journal.map { " (journal \($0), run \(server.epoch))" } ?? ""))
        if !self.quiet {
            Task {
                for await (session, event) in server.events { printError("resetlab steady: session \(session): \(event)") }
            }
        }
        let durable = self.journal != nil
        let failure = await withTaskGroup(of: (any Error)?.self) { group in
            group.addTask {
                do {
                    for try await message in server.messages {
                        var line = Array(message.payload.readableBytesView)
                        line.append(UInt8(ascii: "\n"))
                        if durable { try message.markDelivering(cursor: output.cursor, length: UInt64(line.count)) }
                        try output.write(line)
                        try message.markDelivered(cursor: output.cursor)
                    }
                    return nil
                } catch {
                    return error
                }
            }
            group.addTask {
                await termination.wait()
                return nil
            }
            let first = await group.next() ?? nil
            await server.close()
            group.cancelAll()
            termination.fire()
            return first
        }
        if let failure {
            printError("resetlab steady serve: \(failure)")
            throw ExitCode(1)
        }
    }
}
