/// What makes a partial file belong to a source file: its size and modification time. A new sender
/// process for the same unchanged file resumes; a changed file (other size or time) starts from zero.
public struct FileIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The file's size in bytes.
    public var size: UInt64
    /// The file's modification time, in nanoseconds since the epoch.
    public var modifiedNanoseconds: Int64

    public init(size: UInt64, modifiedNanoseconds: Int64) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    public var description: String { "\(self.size) bytes, modified at \(self.modifiedNanoseconds) ns" }
}
