/// Where a capture's bytes come from: a file, a pipe, or memory. The only I/O the capture reader does.
public protocol ByteSource {
    /// Copies up to `buffer.count` bytes of input into `buffer` and returns how many it copied; 0 means
    /// the input has ended. Never returns more than `buffer.count`.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
