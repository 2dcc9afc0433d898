import ArgumentParser
import ResetLabProxyClient

/// `resetlab proxy create -l ADDR -u ADDR NAME` (toxiproxy-cli `create`).
struct ProxyCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a proxy.", aliases: ["c", "new"]
    )

    @OptionGroup var options: ProxyClientOptions
    @Option(name: [.short, .long], help: "Address to listen on, e.g. 127.0.0.1:26379.") var listen = "127.0.0.1:0"
    @Option(name: [.short, .long], help: "Address of the real server, e.g. 127.0.0.1:6379.") var upstream: String
    @Argument(help: "The proxy's name.") var name: String

    func run() throws {
        let client = try self.options.client()
        print(try ProxyClientCommands(client: client).create(self.name, listen: self.listen, upstream: self.upstream))
    }
}
