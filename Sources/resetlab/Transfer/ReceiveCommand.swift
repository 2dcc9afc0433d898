import ArgumentParser
import Foundation
import ResetLabSteady
import ResetLabTransfer
import ResetLabTransferRuntime

/// `resetlab receive --listen HOST:PORT --dir DIR`: take files from `resetlab send`, verified.
struct ReceiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Receive files from 'resetlab send' into a directory, resumably and verified.",
        discussion: """
            Each file is written to DIR/NAME.part, next to a small NAME.part.state
            (which file it is, how many bytes passed their CRC and were written).
            When the sender's connection is reset, or this receiver is restarted,
            the sender continues from that verified offset. Only when the whole
            file's SHA-256 matches the sender's is NAME.part renamed to NAME.

            Nothing is ever written outside DIR: names with '/' or '\\', '.', '..',
            control characters or over 200 bytes are refused, and so is a NAME.part
            that is a symbolic or hard link. Several senders may send different
            names at once; a second sender of a name being received is refused as
            busy.

              resetlab receive --listen 0.0.0.0:9400 --dir /srv/incoming
              resetlab receive --listen 127.0.0.1:9400 --dir . --once --json

            One line per verified file on standard output (with --json, one JSON
            object per line); refusals and lost connections on standard error.
            Runs until Ctrl-C or SIGTERM, or with --once until the first file is
            verified.

            Exit status: 0 when stopped by a signal or after --once; 1 when it
            cannot listen; 64 for a usage error (bad address, missing directory).
            """
    )

    @Option(help: ArgumentHelp("Where to listen: HOST:PORT (port 0 picks a free one).", valueName: "host:port"))
    var listen: String = "0.0.0.0:9400"

    @Option(help: ArgumentHelp("The directory files are saved into.", valueName: "dir"))
    var dir: String = "."

    @Flag(help: "Exit after the first verified file.")
    var once = false

    @Flag(help: "Print each verified file as one JSON object per line.")
    var json = false

    func validate() throws {
        do {
            _ = try SteadyAddress(parsing: self.listen, allowPortZero: true)
        } catch {
            throw ValidationError("--listen: \(error)")
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let endpoint = try SteadyAddress(parsing: self.listen, allowPortZero: true)
        // Caught before the port opens: a SIGTERM sent as soon as it accepts connections stops it cleanly.
        // SIGINT and SIGTERM stop the receiver (which then exits 0); partial files stay for a later run.
        let stopper = ReceiverStopper()
        TerminationSignal.install(for: [SIGINT, SIGTERM]).whenFired { stopper.stop() }
        let receiver: FileReceiver
        do {
            receiver = try FileReceiver(configuration: .init(listen: endpoint, directory: self.dir, once: self.once))
        } catch {
            printError("resetlab receive: \(error)")
            if case .directory = error { throw ExitCode(64) }
            throw ExitCode(1)
        }
        stopper.attach(receiver)
        let shown = SteadyAddress(host: endpoint.host, port: Int(receiver.port))
        let stop = self.once ? "after the first verified file" : "Ctrl-C to stop"
        printError("resetlab receive: listening on \(shown), saving into \(self.dir) (\(stop))")
        let json = self.json
        receiver.run(
            onVerified: { file in Self.writeLine(json ? file.json().serialized() : file.text()) },
            log: { printError("resetlab receive: " + $0) })
    }

    /// One line on standard output, written at once (the output may be a pipe read while we run).
    private static func writeLine(_ line: String) {
        let text = line + "\n"
        _ = text.withCString { Glibc.write(STDOUT_FILENO, $0, strlen($0)) }
    }
}

/// Stops the receiver on a signal, also one that came before the receiver existed.
private final class ReceiverStopper: @unchecked Sendable {
    private let lock = NSLock()
    private var receiver: FileReceiver?
    private var requested = false

    func stop() {
        let receiver = self.lock.withLock {
            self.requested = true
            return self.receiver
        }
        receiver?.stop()
    }

    /// From now on a signal stops `receiver`; one that already came stops it at once (its run returns).
    func attach(_ receiver: FileReceiver) {
        let requested = self.lock.withLock {
            self.receiver = receiver
            return self.requested
        }
        if requested { receiver.stop() }
    }
}
