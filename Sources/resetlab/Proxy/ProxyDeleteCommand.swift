import ArgumentParser
import ResetLabProxyClient

/// `resetlab proxy delete NAME` (toxiproxy-cli `delete`).
struct ProxyDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a proxy.", aliases: ["d"])

    @OptionGroup var options: ProxyClientOptions
    @Argument(help: "The proxy's name.") var name: String

    func run() throws {
        print(try ProxyClientCommands(client: try self.options.client()).delete(self.name))
    }
}
