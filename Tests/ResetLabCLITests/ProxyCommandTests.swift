import Foundation
import Testing

/// `resetlab proxy serve` as a subprocess, driven by the `resetlab proxy` client subcommands and by a
/// third-party Toxiproxy client.
@Suite(.serialized) struct ProxyCommandTests {
    @Test func clientSubcommandsDriveTheServer() async throws {
        let server = try ProxyServeProcess()
        defer { server.kill() }
        #expect(try await onThread { server.waitUntilAnswering() }, "the server never answered")
        let host = ["--host", server.url]
        func proxy(_ arguments: String...) async throws -> ResetLabBinary.Result {
            try await ResetLabBinary.runOffPool(["proxy"] + arguments + host)
        }

        let empty = try await proxy("list")
        #expect(empty.status == 0)
        #expect(empty.stdout == "no proxies\n")

        let created = try await proxy("create", "-l", "127.0.0.1:0", "-u", "127.0.0.1:9", "web")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.hasPrefix("Created new proxy web listening on 127.0.0.1:"))
        #expect(!created.stdout.contains("127.0.0.1:0\n"), "the listen address was not resolved")

        let listed = try await proxy("list")
        #expect(listed.status == 0)
        let row = listed.stdout.split(separator: "\n").last.map { $0.split(separator: " ") } ?? []
        #expect(row.first == "web")
        #expect(row.contains("127.0.0.1:9"))
        #expect(row.contains("enabled"))
        #expect(row.last == "0")

        let inspected = try await proxy("inspect", "web")
        #expect(inspected.status == 0)
        #expect(inspected.stdout.contains("Name: web\n"))
        #expect(inspected.stdout.contains("Upstream: 127.0.0.1:9\n"))
        #expect(inspected.stdout.contains("Enabled: true\n"))

        let added = try await proxy("toxic", "add", "-t", "latency", "-a", "latency=10", "web")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "Added downstream latency toxic 'latency_downstream' on proxy 'web'\n")
        #expect(try await proxy("inspect", "web").stdout.contains("latency_downstream: type=latency"))
        #expect(try await proxy("inspect", "web").stdout.contains("latency=10"))

        let updated = try await proxy("toxic", "update", "-n", "latency_downstream", "-a", "latency=20", "web")
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stdout == "Updated toxic 'latency_downstream' on proxy 'web'\n")
        #expect(try await proxy("inspect", "web").stdout.contains("latency=20"))

        let removed = try await proxy("toxic", "remove", "-n", "latency_downstream", "web")
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout == "Removed toxic 'latency_downstream' on proxy 'web'\n")
        #expect(!(try await proxy("inspect", "web").stdout.contains("latency_downstream")))

        let disabled = try await proxy("toggle", "web")
        #expect(disabled.stdout == "Proxy web is now disabled\n")
        #expect(try await proxy("inspect", "web").stdout.contains("Enabled: false\n"))
        let enabled = try await proxy("toggle", "web")
        #expect(enabled.stdout == "Proxy web is now enabled\n")

        let deleted = try await proxy("delete", "web")
        #expect(deleted.status == 0)
        #expect(deleted.stdout == "Deleted proxy web\n")
        #expect(try await proxy("list").stdout == "no proxies\n")
        let missing = try await proxy("inspect", "web")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("proxy not found"))

        let missingToxic = try await proxy("toxic", "remove", "-n", "nothing", "web")
        #expect(missingToxic.status != 0)
    }

    @Test func acceptsToxiproxyServerFlagSpellings() async throws {
        let server = try ProxyServeProcess { ["-host", "127.0.0.1", "-port", String($0)] }
        defer { server.kill() }
        #expect(try await onThread { server.waitUntilAnswering() }, "the server never answered")
        let listed = try await ResetLabBinary.runOffPool(["proxy", "list", "--host", server.url])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout == "no proxies\n")
    }

    @Test func unreachableAPIFailsClearly() async throws {
        let (fd, port) = try Loopback.refusing()
        defer { close(fd) }
        let result = try await ResetLabBinary.runOffPool(["proxy", "list", "--host", "http://127.0.0.1:\(port)"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot reach the proxy API at 127.0.0.1:\(port)"))
        #expect(result.stdout.isEmpty)
    }

    @Test func sigtermStopsTheServerCleanly() async throws {
        let server = try ProxyServeProcess()
        defer { server.kill() }
        #expect(try await onThread { server.waitUntilAnswering() }, "the server never answered")
        let status = try await onThread { server.terminate() }
        #expect(status == 0, "exit status \(status.map(String.init) ?? "none: it had to be killed")")
        #expect(server.standardOutput.contains("API listening on http://127.0.0.1:\(server.port)"))
        #expect(!Loopback.canConnect(port: server.port), "the API still answers after SIGTERM")
    }

    /// The unmodified `toxiproxy-python` package (PyPI) against `resetlab proxy serve`. scripts/test installs
    /// it; under CI=true the test runs and fails without it, elsewhere it is skipped when missing.
    @Test(
        .enabled(
            if: PythonToxiproxy.mustRun || PythonToxiproxy.isInstalled,
            "toxiproxy-python is not installed (python3 -m pip install toxiproxy-python)"
        )
    )
    func toxiproxyPythonClientWorksUnchanged() async throws {
        try #require(
            PythonToxiproxy.isInstalled,
            "CI=true but python3 cannot import toxiproxy: run scripts/test or pip install toxiproxy-python"
        )
        let echo = try LoopbackEchoServer()
        defer { echo.stop() }
        let server = try ProxyServeProcess()
        defer { server.kill() }
        #expect(try await onThread { server.waitUntilAnswering() }, "the server never answered")
        let result = try await onThread {
            try PythonToxiproxy.run([PythonToxiproxy.fixture.path, String(server.port), String(echo.port)])
        }
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.hasSuffix("OK\n"), "stdout: \(result.stdout)")
    }
}

/// Runs `python3` for the toxiproxy-python test.
enum PythonToxiproxy {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/toxiproxy_python_client.py")

    /// Under CI the test must run (and fail if the module is missing) rather than skip.
    static let mustRun = ProcessInfo.processInfo.environment["CI"] == "true"

    static let isInstalled: Bool = (try? Self.run(["-c", "import toxiproxy"]).status) == 0

    /// `python3 ARGUMENTS` without any HTTP proxy settings, which `requests` would use even for 127.0.0.1.
    static func run(_ arguments: [String]) throws -> ResetLabBinary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
        environment["NO_PROXY"] = "127.0.0.1,localhost"
        process.environment = environment
        let output = Pipe.forChild()
        let errors = Pipe.forChild()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ResetLabBinary.Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}
