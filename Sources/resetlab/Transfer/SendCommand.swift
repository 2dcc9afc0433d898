import ArgumentParser
import ResetLabSteady
import ResetLabTransfer
import ResetLabTransferRuntime

#if canImport(Glibc)
import Glibc
#endif

/// `resetlab send FILE tcp://HOST:PORT`: send one file to `resetlab receive`, resuming after resets.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a file to 'resetlab receive', resuming after resets; exit 0 only once it is verified.",
        discussion: """
            The file goes in checksummed chunks (CRC-32C each). When the connection
            is reset, or the receiver restarts, the sender reconnects (with backoff)
            and continues from the receiver's verified offset; a new 'resetlab send'
            of the same unchanged file continues too. At the end the receiver
            compares the whole file's SHA-256 and only then renames NAME.part to
            NAME. On a mismatch it discards the partial file and the sender starts
            over from zero once.

              resetlab receive --listen 0.0.0.0:9400 --dir /srv/incoming     (receiver)
              resetlab send backup.tar tcp://files.example.com:9400
              resetlab send backup.tar tcp://10.0.0.5:9400 --name backup-monday.tar
              resetlab send big.iso tcp://10.0.0.5:9400 --give-up-after 3600 --json

            A progress bar (rate, ETA, resumes) is drawn on standard error when it
            is a terminal. The summary goes to standard output: one line, or with
            --json one object (bytes, seconds, bytes_per_second, resumes, restarts,
            sha256, outcome).

            Exit status: 0 the file is verified on the receiver; 1 gave up (no
            progress for --give-up-after seconds); 2 the receiver refused the file;
            3 the SHA-256 differed even after starting over; 4 the file changed
            while being sent; 64 usage error; 66 the file cannot be read.
            """
    )

    @Argument(help: ArgumentHelp("The file to send.", valueName: "file"))
    var file: String

    @Argument(help: ArgumentHelp("The receiver, e.g. tcp://10.0.0.5:9400.", valueName: "destination"))
    var destination: String

    @Option(help: ArgumentHelp("Save under this name on the receiver (default: the file's own name).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("Give up after this many seconds without progress.", valueName: "seconds"))
    var giveUpAfter: Double = 300

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    func validate() throws {
        do {
            _ = try SteadyAddress(parsing: self.destination)
        } catch {
            throw ValidationError("destination: \(error)")
        }
        guard self.giveUpAfter >= 1, self.giveUpAfter <= 86_400 * 7 else {
            throw ValidationError("--give-up-after takes seconds from 1 to 604800.")
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let destination = try SteadyAddress(parsing: self.destination)
        let name = self.name ?? Self.baseName(of: self.file)
        let sender = FileSender(configuration: .init(
            path: self.file, name: name, destination: destination, giveUpAfter: self.giveUpAfter))
        let bar = isatty(STDERR_FILENO) == 1 ? TerminalProgress(name: name) : nil
        let summary: SendSummary
        do {
            summary = try sender.run { bar?.update($0) }
        } catch {
            printError("resetlab send: \(error)")
            throw ExitCode(error.kind == .name ? 64 : 66)
        }
        bar?.clear()
        if self.json {
            print(summary.json().serialized())
        } else {
            print(summary.text())
        }
        if summary.outcome != .verified {
            if !self.json { printError("resetlab send: \(summary.outcome.message)") }
            throw ExitCode(summary.outcome.exitStatus)
        }
    }

    /// The last path component of `path` (what the receiver saves it as by default).
    static func baseName(of path: String) -> String {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        return trimmed.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? trimmed
    }
}

/// The progress bar on standard error, redrawn at most ten times a second.
private final class TerminalProgress {
    private let name: String
    private var meter = RateMeter()
    private var lastDraw = -1.0

    init(name: String) {
        self.name = name
    }

    func update(_ progress: FileSender.Progress) {
        self.meter.record(bytes: progress.verified, at: progress.elapsed)
        let finished = progress.verified >= progress.total
        guard finished || progress.elapsed - self.lastDraw >= 0.1 else { return }
        self.lastDraw = progress.elapsed
        let line = ProgressLine(
            name: self.name, done: progress.verified, total: progress.total, bytesPerSecond: self.meter.bytesPerSecond,
            resumes: progress.resumes)
        Self.write("\r" + line.render(width: Self.columns() - 1) + "\u{1B}[K")
    }

    func clear() {
        Self.write("\r\u{1B}[K")
    }

    private static func columns() -> Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) : 80
    }

    private static func write(_ text: String) {
        _ = text.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
    }
}
