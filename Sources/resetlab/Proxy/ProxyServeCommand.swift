import ArgumentParser
import Foundation
import ResetLabProxyServer

/// `resetlab proxy serve`: the long-running proxy server with its control API.
struct ProxyServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the proxy server and its Toxiproxy-compatible control API.",
        discussion: """
            Accepts toxiproxy-server's spellings too (-host, -port, -config), so it can
            replace it in existing scripts. The config file is Toxiproxy's JSON list of
            proxies; ResetLab also installs the "toxics" given in each entry.
            """
    )

    @Option(name: [.long, .customLong("host", withSingleDash: true)], help: "Address the control API binds to.")
    var host = "127.0.0.1"

    @Option(name: [.long, .customLong("port", withSingleDash: true)], help: "Port of the control API.")
    var port = 8474

    @Option(
        name: [.long, .customLong("config", withSingleDash: true)],
        help: ArgumentHelp("Create the proxies (and toxics) of this JSON file at start.", valueName: "file")
    )
    var config: String?

    @Option(help: "Event-loop threads for proxied traffic (default: one per core).")
    var threads: Int?

    func validate() throws {
        if let threads = self.threads, !(1...256).contains(threads) {
            throw ValidationError("--threads must be 1-256, got \(threads)")
        }
        guard (0...65_535).contains(self.port) else { throw ValidationError("--port must be 0-65535, got \(self.port)") }
    }

    func run() async throws {
        var configBytes: [UInt8]?
        if let config {
            guard let data = FileManager.default.contents(atPath: config) else {
                throw ValidationError("Cannot read the config file \(config)")
            }
            configBytes = Array(data)
        }
        // Catch SIGINT and SIGTERM before the API can answer: a supervisor may stop the server as soon as
        // it sees the port open.
        let termination = TerminationSignal.install(for: [SIGINT, SIGTERM])
        let server: ResetLabProxyServer
        do {
            server = try await ResetLabProxyServer.start(
                host: self.host, port: self.port, configFile: configBytes, threads: self.threads ?? ProcessInfo.processInfo.activeProcessorCount
            )
        } catch {
            FileHandle.standardError.write(Data("resetlab proxy: \(error)\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardOutput.write(Data("resetlab proxy: API listening on http://\(server.apiAddress) (Ctrl-C to stop)\n".utf8))
        await termination.wait()
        await server.shutdown()
    }
}
