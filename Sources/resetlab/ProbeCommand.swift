import ArgumentParser
import ResetLabProbe
import ResetLabProbeRuntime

/// `resetlab probe URL`: diagnose a live endpoint step by step.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Diagnose a live endpoint: DNS, TCP, TLS, SMTP, FTP, HTTP; where and why the conversation breaks.",
        discussion: """
            Runs the checks a support engineer would, printing each step as it runs:
            the name and every address it resolves to, a TCP connect to each
            address (ok, refused, timed out, unreachable), TLS (protocol, cipher,
            certificate), then the protocol's conversation. It ends with a verdict:
            where the conversation broke, how (RST, FIN, timeout, error reply), the
            error an application would see, the likely causes with their evidence,
            and the next command to run.

              resetlab probe smtp://mail.example.com             banner, EHLO, STARTTLS, AUTH
              resetlab probe smtp://mail.example.com:587 --mail-from a@x.test --rcpt-to b@x.test
              resetlab probe ftp://ftp.example.com/incoming/ --size 1048576 --max-conns 5
              resetlab probe ftp://user:secret@ftp.example.com
              resetlab probe https://www.example.com/health --idle
              resetlab probe tcp://10.0.0.5:8443

            Schemes: tcp, tls, smtp, smtps, ftp, ftps, http, https.

            Exit status: 0 when every step worked; 1 when the probe found a problem;
            64 for a usage error (a bad URL or option).
            """
    )

    @Argument(help: ArgumentHelp("The endpoint, e.g. smtp://mail.example.com:587.", valueName: "url"))
    var url: String

    @Option(help: ArgumentHelp("Seconds each step may take.", valueName: "seconds"))
    var timeout: Double = 5

    @Option(help: ArgumentHelp("SMTP: send a test message from this address (with --rcpt-to).", valueName: "address"))
    var mailFrom: String?

    @Option(help: ArgumentHelp("SMTP: the test message's recipient (with --mail-from).", valueName: "address"))
    var rcptTo: String?

    @Option(help: ArgumentHelp("FTP: upload and download this many bytes and report the throughput.", valueName: "bytes"))
    var size: Int = 0

    @Option(help: ArgumentHelp("Open up to this many connections at once to find the server's per-client limit.", valueName: "count"))
    var maxConns: Int = 0

    @Flag(help: "Find after how long idle connections are killed, and how (RST, FIN, silent drop).")
    var idle = false

    @Option(help: ArgumentHelp("--idle: the longest idle period to wait for.", valueName: "seconds"))
    var idleMax: Double = 120

    @Option(help: ArgumentHelp("--idle: how many connections to use at once.", valueName: "count"))
    var idleConns: Int = 24

    @Flag(help: "Print one JSON object at the end instead of text as it goes.")
    var json = false

    func validate() throws {
        do {
            _ = try ProbeTarget(parsing: self.url)
        } catch let error as ProbeTargetError {
            throw ValidationError(error.description)
        }
        guard self.timeout > 0, self.timeout <= 600 else { throw ValidationError("--timeout takes seconds from 0 to 600.") }
        guard self.size >= 0 else { throw ValidationError("--size takes a byte count from 0 up.") }
        guard (0...1000).contains(self.maxConns) else { throw ValidationError("--max-conns takes a count from 1 to 1000.") }
        guard self.idleMax >= 1, self.idleMax <= 86_400 else { throw ValidationError("--idle-max takes seconds from 1 to 86400.") }
        guard (1...200).contains(self.idleConns) else { throw ValidationError("--idle-conns takes a count from 1 to 200.") }
        if (self.mailFrom == nil) != (self.rcptTo == nil) {
            throw ValidationError("--mail-from and --rcpt-to go together: give both to send a test message.")
        }
    }

    func run() throws {
        let target = try ProbeTarget(parsing: self.url)
        let options = ProbeOptions(
            timeout: self.timeout, mailFrom: self.mailFrom, recipient: self.rcptTo, transferSize: self.size,
            maxConnections: self.maxConns, idle: self.idle, idleLimit: self.idleMax, idleConnections: self.idleConns)
        if !self.json { print(ProbeReport.header(target), terminator: "") }
        let outcome = ProbeRunner(target: target, options: options).run { step in
            if !self.json { print(ProbeReport.step(step), terminator: "") }
        }
        if self.json {
            print(ProbeReport.json(target: target, steps: outcome.steps, verdict: outcome.verdict), terminator: "")
        } else {
            print(ProbeReport.verdict(outcome.verdict), terminator: "")
        }
        if !outcome.verdict.healthy { throw ExitCode(1) }
    }
}
