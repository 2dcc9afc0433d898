import ArgumentParser
import ResetLabLabRuntime

/// `resetlab lab-agent`: one side of a lab scenario, driven by the runner over standard input and output.
/// Not for people: `resetlab lab` starts these itself.
struct LabAgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-agent",
        abstract: "Internal: a socket or capture agent driven by 'resetlab lab'.",
        shouldDisplay: false
    )

    @Option(help: "Capture on this interface instead of driving a socket.")
    var capture: String?

    @Option(help: "With --capture: the TCP port to record.")
    var port: UInt16 = 0

    func run() {
        if let interface = self.capture {
            CaptureAgent(interfaceName: interface, port: self.port).run()
        } else {
            var agent = SocketAgent()
            agent.run()
        }
    }
}
