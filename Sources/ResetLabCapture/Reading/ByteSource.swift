/// Where a capture's bytes come from: a file, a pipe, or memory. The only I/O the capture reader does.
public protocol ByteSource {
    /// Copies up to `buffer.count` bytes of input into `buffer` and returns how many it copied; 0 means
    /// the input has ended. Never returns more than `buffer.count`.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int

    /// Lends the input's bytes from byte `offset` on, in place: at least `count` of them, fewer only where
    /// the input ends. The bytes stay valid until the next call. Returns `nil` when the source cannot lend
    /// (a pipe, a terminal); the reader then copies with ``read(into:)`` from where lending stopped.
    mutating func lend(from offset: Int, atLeast count: Int) throws -> UnsafeRawBufferPointer?
}

extension ByteSource {
    /// Sources that do not lend their bytes are read by copying.
    public mutating func lend(from offset: Int, atLeast count: Int) throws -> UnsafeRawBufferPointer? {
        nil
    }
}
