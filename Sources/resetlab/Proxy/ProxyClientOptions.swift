import ArgumentParser
import Foundation
import ResetLabProxyClient

/// The API address the client subcommands talk to, as toxiproxy-cli takes it.
struct ProxyClientOptions: ParsableArguments {
    @Option(
        name: .customLong("host"),
        help: "The proxy API's URL (default: $TOXIPROXY_URL or http://localhost:8474)."
    )
    var url: String?

    func client() throws -> ProxyAPIClient {
        let url = self.url ?? ProcessInfo.processInfo.environment["TOXIPROXY_URL"] ?? "http://localhost:8474"
        do {
            return try ProxyAPIClient(url: url)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
