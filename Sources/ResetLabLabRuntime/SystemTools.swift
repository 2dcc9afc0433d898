import Foundation

/// Where the system programs the lab uses are, and running them.
enum SystemTools {
    /// iproute2's `ip`.
    static let ip = Self.find("ip") ?? "/usr/sbin/ip"
    /// nftables' `nft`.
    static let nft = Self.find("nft")

    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program to completion. Returns its exit status and what it wrote to standard error.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errorPipe = Pipe()
        let inputPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = inputPipe
        do {
            try process.run()
        } catch {
            return (127, "\(executable): \(error)")
        }
        if let input { inputPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try? inputPipe.fileHandleForWriting.close()
        let errorData = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errorData, as: UTF8.self))
    }
}
