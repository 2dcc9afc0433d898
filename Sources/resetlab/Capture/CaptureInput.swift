import ArgumentParser
import ResetLabCapture

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The capture file a subcommand reads: a path, or `-` for standard input.
struct CaptureInput {
    let path: String
    let fileDescriptor: Int32

    /// Opens `path` for reading; throws a message naming the file and the system's reason.
    init(path: String) throws {
        self.path = path
        if path == "-" {
            self.fileDescriptor = STDIN_FILENO
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ValidationError("Cannot open \(path): \(reason).")
        }
        self.fileDescriptor = descriptor
    }

    var source: FileDescriptorSource { FileDescriptorSource(fileDescriptor: self.fileDescriptor) }

    func close() {
        if self.fileDescriptor != STDIN_FILENO { _ = Glibc.close(self.fileDescriptor) }
    }
}

/// Standard output written in large pieces: a report of a million connections is a lot of small strings.
/// Call ``flush()`` when done.
struct BufferedStandardOutput {
    private var buffer: [UInt8] = []

    init() {
        self.buffer.reserveCapacity(1 << 16)
    }

    mutating func write(_ text: String) {
        self.buffer.append(contentsOf: text.utf8)
        if self.buffer.count >= 1 << 16 { self.flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < self.buffer.count {
            let written = self.buffer.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.write(STDOUT_FILENO, base + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break  // a closed pipe (e.g. `| head`): nothing more can be written
            }
            offset += written
        }
        self.buffer.removeAll(keepingCapacity: true)
    }
}

/// Prints `message` on standard error.
func printError(_ message: String) {
    var text = message
    if !text.hasSuffix("\n") { text += "\n" }
    _ = text.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
}
