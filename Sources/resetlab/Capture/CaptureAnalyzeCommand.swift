import ArgumentParser
import Foundation
import ResetLabCapture

/// `resetlab capture FILE`: every connection, how it ended and who reset it, then a summary.
struct CaptureAnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "List every TCP connection of a capture with how it ended, then a summary.",
        discussion: """
            Reads pcap (microsecond or nanosecond, either byte order) and pcapng,
            on Ethernet (VLAN, QinQ, MPLS), Linux cooked SLL/SLL2, raw IP and BSD
            loopback links, IPv4 and IPv6. The file is read as a stream: memory
            depends on the connections open at once, not on the file's size.

            For every connection: who originated it and why we think so, bytes
            and packets each way, Zeek's conn_state and history, ResetLab's
            verdict (clean close, reset by client or server, FIN then RST, refused,
            SYN unanswered, reset mid-transfer or after idle, timeout abort...), who
            sent the first RST and how it looked, and the error each side's
            application most likely saw.

            Formats: table (default), json, tsv, zeek (a conn.log Zeek's tools
            read). Filters choose the connections listed; the summary counts all.

            Exit status: 0 when the whole capture was read; 1 when it could not
            be read to its end (what came before the problem is still reported,
            and the problem is named with its byte offset); 64 for a usage error.
            """
    )

    @Argument(help: ArgumentHelp("The capture file; '-' reads standard input.", valueName: "file"))
    var file: String

    @Option(help: "Output format: table, json, tsv or zeek.")
    var format: CaptureReportFormat = .table

    @Option(help: ArgumentHelp("List only these connections: 'resets' (ended by a RST).", valueName: "kind"))
    var only: OnlyFilter?

    @Option(help: ArgumentHelp("List only connections with this IP address at either end.", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("List only connections with this port at either end.", valueName: "port"))
    var port: UInt16?

    @Option(help: ArgumentHelp("Also write an HTML report with histograms and ladders of the resets.", valueName: "file"))
    var html: String?

    enum OnlyFilter: String, ExpressibleByArgument, CaseIterable {
        case resets
    }

    func validate() throws {
        if let host, IPAddress(parsing: host) == nil {
            throw ValidationError("'\(host)' is not an IPv4 or IPv6 address (e.g. 192.0.2.1 or 2001:db8::1).")
        }
    }

    func run() throws {
        let input = try CaptureInput(path: self.file)
        defer { input.close() }
        let filter = ConnectionFilter(
            onlyResets: self.only == .resets, host: self.host.flatMap(IPAddress.init(parsing:)), port: self.port)
        let run = CaptureReportRun(format: self.format, filter: filter, keepForHTML: self.html != nil)
        var output = BufferedStandardOutput()
        let outcome = run.run(input.source, name: self.file) { output.write($0) }
        output.flush()
        if let html = self.html {
            let page = CaptureHTMLReport().render(
                title: self.file, summary: outcome.summary, statistics: outcome.statistics,
                connections: outcome.keptConnections, ladders: outcome.ladders, listedLimit: run.keptConnectionLimit)
            do {
                try Data(page.utf8).write(to: URL(fileURLWithPath: html))
            } catch {
                throw ValidationError("Cannot write \(html): \(error.localizedDescription)")
            }
        }
        if let error = outcome.error {
            printError("resetlab capture: " + CaptureReportWriter.errorMessage(error))
            throw ExitCode(1)
        }
    }
}

extension CaptureReportFormat: ExpressibleByArgument {}
