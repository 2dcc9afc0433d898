import ArgumentParser
import ResetLabProxyClient

/// `resetlab proxy toggle NAME` (toxiproxy-cli `toggle`): a disabled proxy refuses new connections.
struct ProxyToggleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toggle", abstract: "Enable or disable a proxy.", aliases: ["tog"]
    )

    @OptionGroup var options: ProxyClientOptions
    @Argument(help: "The proxy's name.") var name: String

    func run() throws {
        print(try ProxyClientCommands(client: try self.options.client()).toggle(self.name))
    }
}
