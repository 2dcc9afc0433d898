#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``ByteSource`` that calls `read(2)` on an open file descriptor: a file, a pipe or standard input.
///
/// It neither opens nor closes the descriptor; the caller owns it.
public struct FileDescriptorSource: ByteSource, Sendable {
    /// The descriptor read from.
    public let fileDescriptor: Int32

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// Reads once, retrying when a signal interrupts the call. Throws ``FileReadError`` on failure.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(self.fileDescriptor, base, buffer.count)
            if count >= 0 { return min(count, buffer.count) }
            let error = errno
            if error == EINTR { continue }
            throw FileReadError(fileDescriptor: self.fileDescriptor, errorNumber: error)
        }
    }
}

/// `read(2)`, named apart from ``FileDescriptorSource/read(into:)``.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #elseif canImport(Musl)
    Musl.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}
