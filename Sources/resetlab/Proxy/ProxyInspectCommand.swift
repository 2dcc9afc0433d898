import ArgumentParser
import ResetLabProxyClient

/// `resetlab proxy inspect NAME` (toxiproxy-cli `inspect`).
struct ProxyInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show one proxy and its toxics.", aliases: ["i", "ins"]
    )

    @OptionGroup var options: ProxyClientOptions
    @Argument(help: "The proxy's name.") var name: String

    func run() throws {
        print(try ProxyClientCommands(client: try self.options.client()).inspect(self.name), terminator: "")
    }
}
