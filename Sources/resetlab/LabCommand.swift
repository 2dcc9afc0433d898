import ArgumentParser
import Foundation
import ResetLabLab
import ResetLabLabRuntime

/// `resetlab lab`: reproduce the stories' failures on real sockets.
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Reproduce connection resets, aborts, refusals and timeouts on real sockets.",
        discussion: """
            Each scenario starts its own client and server processes on loopback
            (firewall scenarios in a private network namespace), plays a script of
            socket calls, and records for every call the TCP state just before it,
            what Linux returned, what a Windows program would get for the same
            packets, and the packets themselves.

              resetlab lab                       run every scenario, side by side
              resetlab lab graceful-close-then-write
                                                 one scenario, step by step
              resetlab lab --list                the scenarios and what they show
              resetlab lab --html lab.html       ladder diagrams of the packets
              resetlab lab --pcap-dir caps/      one pcap per scenario (Wireshark)

            Packets are captured when running as root (or with CAP_NET_RAW);
            otherwise the report says so and everything else still runs. As
            root, the kernel's reason for every RST is read from its
            tcp_send_reset tracepoint and checked against the reason the
            scenario expects. The firewall scenarios (blackhole,
            keepalive-timeout, firewall-reset) need root.

            Exit status: 0 when every scenario that ran behaved as expected, 1 when
            one did not, 64 for a usage error.
            """
    )

    @Argument(help: "The scenario to run (see --list). Without one, every scenario runs.")
    var scenario: String?

    @Flag(help: "List the scenarios and exit.")
    var list = false

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Also write an HTML report with a ladder diagram per scenario.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Also save each scenario's packets as DIR/<scenario>.pcap.", valueName: "dir"))
    var pcapDir: String?

    func validate() throws {
        if let scenario, LabScenario.named(scenario) == nil {
            let known = LabScenario.all.map(\.id).joined(separator: ", ")
            throw ValidationError("Unknown scenario '\(scenario)'. Known scenarios: \(known).")
        }
    }

    func run() throws {
        if self.list {
            print(LabScenarioList().render(LabScenario.all), terminator: "")
            return
        }
        let scenarios = self.scenario.flatMap(LabScenario.named).map { [$0] } ?? LabScenario.all
        let cleanup = LabCleanup()
        let interrupt = TerminationSignal.install(for: [SIGINT, SIGTERM])
        interrupt.whenFired { [interrupt] in
            // The run's writes to the agents killed here must fail with EPIPE, not kill this process
            // (SIGPIPE) before the clean-up is done.
            signal(SIGPIPE, SIG_IGN)
            cleanup.removeEverything()
            FileHandle.standardError.write(Data("resetlab lab: interrupted; agents and namespaces removed\n".utf8))
            Foundation.exit(128 + (interrupt.firedBySignal ?? SIGINT))
        }
        let runner = LabRunner(agentExecutable: Self.executablePath, cleanup: cleanup)
        let results = runner.run(scenarios)
        try self.writeFiles(results)
        if self.json {
            print(LabJSONReport().render(results), terminator: "")
        } else if self.scenario != nil, let result = results.first {
            print(LabTranscriptReport().render(result), terminator: "")
        } else {
            print(LabSummaryReport().render(results), terminator: "")
        }
        if results.contains(where: { $0.skipped == nil && !$0.passed }) {
            throw ExitCode(1)
        }
    }

    private func writeFiles(_ results: [LabScenarioResult]) throws {
        if let html = self.html {
            let page = LadderHTMLReport().render(results, generatedBy: "resetlab lab")
            try Self.write(Data(page.utf8), to: html)
        }
        if let directory = self.pcapDir {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw ValidationError("Cannot create \(directory): \(error.localizedDescription)")
            }
            for result in results where !result.packets.isEmpty {
                try Self.write(Data(PCAPWriter.file(result.packets)), to: "\(directory)/\(result.scenario.id).pcap")
            }
        }
    }

    private static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("Cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// This very binary, re-executed as the scenarios' agents.
    private static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
