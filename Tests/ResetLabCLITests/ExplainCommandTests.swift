import Foundation
import Testing

/// Runs the real `resetlab` binary, as a user would.
struct ResetLabBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary sits next to the test bundle in the build products folder.
    static let url: URL = {
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("resetlab").path) {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("resetlab")
    }()

    /// Runs `executable` (the `resetlab` binary unless told otherwise) and waits for it. Blocks: async tests
    /// call ``runOffPool(_:stdin:executable:)``.
    static func run(_ arguments: [String], stdin: String? = nil, executable: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? self.url
        process.arguments = arguments
        let output = Pipe.forChild()
        let error = Pipe.forChild()
        let input = Pipe.forChild()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input
        try process.run()
        let writer = Thread {
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let stdoutData = output.fileHandleForReading.readDataToEndOfFile()
        let stderrData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self)
        )
    }
}

@Suite struct ExplainCommandTests {
    @Test func explainsTheStoryNumber() async throws {
        let result = try await ResetLabBinary.runOffPool(["explain", "10054"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Connection reset by peer"))
        #expect(result.stdout.contains("WSAECONNRESET"))
        #expect(result.stdout.contains("ECONNRESET"))
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func joinsWordsOfAPastedLine() async throws {
        let result = try await ResetLabBinary.runOffPool(["explain", "socket", "error", "10054,", "error", "code", "0x800CCC0E"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("IXP_E_FAILED_TO_CONNECT"))
        #expect(result.stdout.contains("WSAECONNRESET"))
    }

    @Test(arguments: [["-2146644978"], ["--", "-2146644978"]])
    func acceptsASignedHResult(_ arguments: [String]) async throws {
        let result = try await ResetLabBinary.runOffPool(["explain"] + arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("0x800CCC0E"))
    }

    @Test func takesEverythingAfterDoubleDashLiterally() async throws {
        let result = try await ResetLabBinary.runOffPool(["explain", "--", "--> recv() failed (104: Connection reset by peer)"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("[connection-reset]"))
    }

    @Test func rejectsAnUnknownOption() async throws {
        let result = try await ResetLabBinary.runOffPool(["explain", "--jsn", "10054"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Unknown option '--jsn'"))
    }

    @Test func readsALogFromStandardInput() async throws {
        let log = "2026-11-25T10:54:02Z app[42]: upstream: read tcp 10.0.0.5:51234->10.0.0.9:443: read: connection reset by peer\n"
        let result = try await ResetLabBinary.runOffPool(["explain", "-"], stdin: log)
        #expect(result.status == 0)
        #expect(result.stdout.contains("[connection-reset]"))
    }

    @Test func printsJSON() async throws {
        let result = try await ResetLabBinary.runOffPool(["explain", "--json", "--platform", "macos", "54"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["platform"] as? String == "macos")
        let matches = try #require(object["matches"] as? [[String: Any]])
        #expect(matches.first?["id"] as? String == "connection-reset")
    }

    @Test(arguments: [[""], ["zzqqxx"], ["WSAECONRESET"]])
    func noMatchExitsOneWithSuggestions(_ arguments: [String]) async throws {
        let result = try await ResetLabBinary.runOffPool(["explain"] + arguments)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("No match for"))
        #expect(result.stdout.contains("Try an error number"))
        #expect(result.stderr.isEmpty)
    }

    @Test func noMatchInJSONIsStillJSON() async throws {
        let result = try await ResetLabBinary.runOffPool(["explain", "--json", "WSAECONRESET"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["matched"] as? Bool == false)
        #expect((object["suggestions"] as? [String])?.first == "WSAECONNRESET")
    }

    @Test func hundredKilobytesOfNoiseOnStandardInput() async throws {
        let noise = String(repeating: "qwe rty uio pas dfg hjk lzx cvb nm ", count: 3_000)
        let result = try await ResetLabBinary.runOffPool(["explain", "-"], stdin: noise)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("No match for"))
    }

    @Test func rejectsAnUnknownPlatform() async throws {
        let result = try await ResetLabBinary.runOffPool(["explain", "--platform", "solaris", "104"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("solaris"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func helpTeachesWithExamples() async throws {
        let result = try await ResetLabBinary.runOffPool(["explain", "--help"])
        #expect(result.status == 0)
        for example in ["resetlab explain 10054", "0x800CCC0E", "--platform", "--json", "Exit status"] {
            #expect(result.stdout.contains(example), "help lacks \(example)")
        }
        let root = try await ResetLabBinary.runOffPool(["--help"])
        #expect(root.stdout.contains("explain"))
    }
}
