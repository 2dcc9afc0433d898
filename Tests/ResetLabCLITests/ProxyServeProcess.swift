import Foundation

/// `resetlab proxy serve` as a subprocess on a free loopback port. Call ``kill()`` in a `defer`.
final class ProxyServeProcess: @unchecked Sendable {
    let port: Int
    let process = Process()
    private let output = Pipe.forChild()
    private let errors = Pipe.forChild()

    /// Starts the server; `spelling` builds the arguments from the port (default: `--port N`).
    init(spelling: (Int) -> [String] = { ["--port", String($0)] }) throws {
        self.port = try Loopback.freePort()
        self.process.executableURL = ResetLabBinary.url
        self.process.arguments = ["proxy", "serve"] + spelling(self.port)
        self.process.standardOutput = self.output
        self.process.standardError = self.errors
        self.process.standardInput = FileHandle.nullDevice
        try self.process.run()
    }

    var url: String { "http://127.0.0.1:\(self.port)" }

    /// Waits until the API accepts connections (or the process exits).
    func waitUntilAnswering(timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && self.process.isRunning {
            if Loopback.canConnect(port: self.port) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// Sends SIGTERM and waits; returns the exit status, or `nil` if it had to be killed.
    func terminate(timeout: TimeInterval = 10) -> Int32? {
        guard self.process.isRunning else { return self.process.terminationStatus }
        self.process.terminate()
        guard self.waitForExit(timeout: timeout) else {
            self.kill()
            return nil
        }
        let status = self.process.terminationStatus
        return self.process.terminationReason == .exit ? status : -status
    }

    /// SIGKILL if still running, then reap.
    func kill() {
        if self.process.isRunning {
            Foundation.kill(self.process.processIdentifier, SIGKILL)
        }
        self.process.waitUntilExit()
    }

    private func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while self.process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        return !self.process.isRunning
    }

    /// What the server printed (read after it exited).
    var standardOutput: String {
        String(decoding: self.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    var standardError: String {
        String(decoding: self.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}

/// Runs blocking work (subprocesses, sockets) on its own thread, off Swift's cooperative pool, which
/// in-process proxy tests running at the same time need. Record expectations in the caller, not in `body`.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

extension ResetLabBinary {
    /// ``run(_:stdin:executable:)`` off the cooperative pool.
    static func runOffPool(_ arguments: [String], stdin: String? = nil, executable: URL? = nil) async throws -> Result {
        try await onThread { try ResetLabBinary.run(arguments, stdin: stdin, executable: executable) }
    }
}
