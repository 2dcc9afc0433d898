/// The sender's chunk size, adapted to the path: halved after a connection that died before a whole chunk
/// was verified (a middlebox that resets after N bytes would otherwise stop a chunk larger than N forever),
/// doubled back toward the preferred size after a connection that verified several chunks.
public struct ChunkSizer: Sendable, Equatable {
    /// The size used while nothing goes wrong.
    public let preferred: Int
    /// The smallest size it shrinks to.
    public let minimum: Int
    /// The size for the next chunk.
    public private(set) var current: Int

    public init(preferred: Int = 1 << 20, minimum: Int = 16 << 10) {
        self.preferred = max(1, preferred)
        self.minimum = max(1, min(minimum, preferred))
        self.current = self.preferred
    }

    /// A connection ended (by error) after its receiver verified `verifiedBytes` more bytes.
    public mutating func connectionEnded(verifiedBytes: UInt64) {
        if verifiedBytes < UInt64(self.current) {
            self.current = max(self.minimum, self.current / 2)
        } else if verifiedBytes >= UInt64(self.current) * 4 {
            self.current = min(self.preferred, self.current * 2)
        }
    }
}
