/// A ``ByteSource`` over bytes already in memory.
///
/// `maximumChunk` caps what one ``read(into:)`` returns, so that tests can split records across reads
/// the way a pipe or a slow disk would.
public struct BytesSource: ByteSource, Sendable {
    /// The whole input.
    public let bytes: [UInt8]
    /// The most bytes one read returns.
    public let maximumChunk: Int
    /// How many bytes have been read so far.
    public private(set) var position = 0

    /// A source that hands out `bytes` at most `maximumChunk` bytes at a time (at least 1).
    public init(_ bytes: [UInt8], maximumChunk: Int = .max) {
        self.bytes = bytes
        self.maximumChunk = max(1, maximumChunk)
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, self.maximumChunk, self.bytes.count - self.position)
        guard count > 0, let destination = buffer.baseAddress else { return 0 }
        self.bytes.withUnsafeBytes { source in
            if let base = source.baseAddress {
                destination.copyMemory(from: base + self.position, byteCount: count)
            }
        }
        self.position += count
        return count
    }
}
