import ArgumentParser
import ResetLabCapture

/// `resetlab capture show FILE --conn ID`: one connection's packets as a ladder, and its story.
struct CaptureShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one connection's packets as a ladder, and tell its story in words.",
        discussion: """
            The connection number is the ID column of 'resetlab capture FILE'.
            The ladder shows the handshake and the last packets, with sequence and
            acknowledgement numbers relative to each side's first, lengths,
            windows, TTLs and the time since the previous packet; then the story,
            e.g. "1–3 handshake; 4 client sends 1 byte; 5 server FIN; ...; 8 server
            RST".

            Exit status: 0 when the connection was found; 1 when it was not or the
            capture could not be read; 64 for a usage error.
            """
    )

    @Argument(help: ArgumentHelp("The capture file; '-' reads standard input.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The connection's number (the ID column of 'resetlab capture').", valueName: "id"))
    var conn: Int

    @Option(help: ArgumentHelp("How many of the last packets to show.", valueName: "count"))
    var depth = 40

    func validate() throws {
        guard self.conn >= 1 else { throw ValidationError("--conn takes a connection number from 1 up.") }
        guard self.depth >= 1 else { throw ValidationError("--depth takes a count from 1 up.") }
    }

    func run() throws {
        let input = try CaptureInput(path: self.file)
        defer { input.close() }
        let (ladder, error) = CaptureReportRun.ladder(of: self.conn, in: input.source, depth: self.depth)
        if let ladder {
            print(ladder.render())
        }
        if let error {
            printError("resetlab capture: " + CaptureReportWriter.errorMessage(error))
        }
        guard ladder != nil else {
            printError("resetlab capture: \(self.file) has no connection \(self.conn).")
            throw ExitCode(1)
        }
        if error != nil { throw ExitCode(1) }
    }
}
