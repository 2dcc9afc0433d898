import ArgumentParser
import ResetLabProxyClient

/// `resetlab proxy toxic add|update|remove` (toxiproxy-cli `toxic`).
struct ProxyToxicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toxic",
        abstract: "Add, update or remove a toxic.",
        subcommands: [Add.self, Update.self, Remove.self],
        aliases: ["t"]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a toxic to a proxy.", aliases: ["a"]
        )

        @OptionGroup var options: ProxyClientOptions
        @Option(name: [.short, .customLong("type")], help: "The toxic's type, e.g. latency or reset_peer.") var type: String
        @Option(name: [.customShort("n"), .customLong("toxicName")], help: "Its name (default: <type>_<stream>).")
        var toxicName: String?
        @Flag(name: [.short, .customLong("upstream")], help: "Apply to client → server data.") var upstream = false
        @Flag(name: [.short, .customLong("downstream")], help: "Apply to server → client data (the default).")
        var downstream = false
        @Option(name: .customLong("tox"), help: "Toxicity: the probability 0-1 that it applies to a connection.")
        var toxicity: Double = 1
        @Option(name: [.short, .customLong("attribute")], help: "An attribute, name=value (repeatable).")
        var attributes: [String] = []
        @Argument(help: "The proxy's name.") var proxy: String

        func validate() throws {
            if self.upstream && self.downstream { throw ValidationError("Choose one of --upstream and --downstream.") }
        }

        func run() throws {
            let commands = ProxyClientCommands(client: try self.options.client())
            print(
                try commands.addToxic(
                    to: self.proxy, type: self.type, name: self.toxicName,
                    stream: self.upstream ? "upstream" : "downstream", toxicity: self.toxicity,
                    attributes: try ProxyClientCommands.parseAttributes(self.attributes)
                )
            )
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update", abstract: "Change a toxic's attributes or toxicity.", aliases: ["u"]
        )

        @OptionGroup var options: ProxyClientOptions
        @Option(name: [.customShort("n"), .customLong("toxicName")], help: "The toxic's name.") var toxicName: String
        @Option(name: .customLong("tox"), help: "New toxicity (unchanged when omitted).") var toxicity: Double?
        @Option(name: [.short, .customLong("attribute")], help: "An attribute, name=value (repeatable).")
        var attributes: [String] = []
        @Argument(help: "The proxy's name.") var proxy: String

        func run() throws {
            let commands = ProxyClientCommands(client: try self.options.client())
            print(
                try commands.updateToxic(
                    self.toxicName, of: self.proxy, toxicity: self.toxicity,
                    attributes: try ProxyClientCommands.parseAttributes(self.attributes)
                )
            )
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove a toxic.", aliases: ["r", "delete", "d"]
        )

        @OptionGroup var options: ProxyClientOptions
        @Option(name: [.customShort("n"), .customLong("toxicName")], help: "The toxic's name.") var toxicName: String
        @Argument(help: "The proxy's name.") var proxy: String

        func run() throws {
            print(try ProxyClientCommands(client: try self.options.client()).removeToxic(self.toxicName, of: self.proxy))
        }
    }
}
