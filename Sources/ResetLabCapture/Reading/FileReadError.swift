#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `read(2)` failed on a capture's file descriptor.
public struct FileReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file descriptor that could not be read.
    public var fileDescriptor: Int32
    /// The `errno` value `read(2)` set, e.g. 21 (`EISDIR`) or 5 (`EIO`).
    public var errorNumber: Int32

    public init(fileDescriptor: Int32, errorNumber: Int32) {
        self.fileDescriptor = fileDescriptor
        self.errorNumber = errorNumber
    }

    /// The system's text for the error, e.g. "cannot read the capture: Is a directory (errno 21)".
    public var description: String {
        let text = strerror(self.errorNumber).map { String(cString: $0) } ?? "unknown error"
        return "cannot read the capture: \(text) (errno \(self.errorNumber))"
    }
}
