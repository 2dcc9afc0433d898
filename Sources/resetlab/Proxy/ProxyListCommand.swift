import ArgumentParser
import ResetLabProxyClient

/// `resetlab proxy list` (toxiproxy-cli `list`).
struct ProxyListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the proxies.", aliases: ["l", "li", "ls"]
    )

    @OptionGroup var options: ProxyClientOptions

    func run() throws {
        let client = try self.options.client()
        print(try ProxyClientCommands(client: client).list(), terminator: "")
    }
}
