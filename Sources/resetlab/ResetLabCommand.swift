import ArgumentParser

/// The `resetlab` command: diagnose, explain and reproduce "connection reset by peer" and its relatives.
@main
struct ResetLabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resetlab",
        abstract: "Understand, reproduce and diagnose \"connection reset by peer\" and related network errors.",
        discussion: """
            Start with 'resetlab explain' and whatever error you have: a number
            (10054, 104, 0x800CCC0E), a name (WSAECONNRESET, ECONNRESET) or the
            whole log line as your program printed it.
            """,
        version: "0.1.0",
        subcommands: [ExplainCommand.self, LabCommand.self, ProxyCommand.self, CaptureCommand.self, ProbeCommand.self, WatchCommand.self, SteadyCommand.self, SendCommand.self, ReceiveCommand.self, LabAgentCommand.self]
    )
}
