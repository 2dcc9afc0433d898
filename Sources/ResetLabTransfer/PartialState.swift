import CResetLabDigest

/// The small state file kept next to `NAME.part`: which source file the partial file belongs to, and how
/// many of its bytes passed their CRC and were written.
///
/// Layout (33 bytes): `magic "RLTP", version: UInt8, size: UInt64, modified: Int64, verified: UInt64,
/// crc32c: UInt32` (of everything before it). A state that fails any check decodes as `nil`, which
/// makes the receiver start the file again.
public struct PartialState: Sendable, Equatable {
    /// The encoded size.
    public static let encodedSize = 33
    private static let magic: [UInt8] = Array("RLTP".utf8)
    private static let version: UInt8 = 1

    public var identity: FileIdentity
    /// Bytes from the start of the file that passed their CRC and were written.
    public var verifiedOffset: UInt64

    public init(identity: FileIdentity, verifiedOffset: UInt64) {
        self.identity = identity
        self.verifiedOffset = verifiedOffset
    }

    /// The state's bytes.
    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.write(contentsOf: Self.magic)
        writer.write(Self.version)
        writer.write(self.identity.size)
        writer.write(UInt64(bitPattern: self.identity.modifiedNanoseconds))
        writer.write(self.verifiedOffset)
        let crc = writer.bytes.withUnsafeBytes { rl_crc32c(0, $0.baseAddress, $0.count) }
        writer.write(crc)
        return writer.bytes
    }

    /// Decodes a state file's bytes, or `nil` when they are not an intact state of this version.
    public init?(decoding bytes: [UInt8]) {
        guard bytes.count == Self.encodedSize, Array(bytes.prefix(4)) == Self.magic else { return nil }
        var reader = ByteReader(bytes)
        _ = reader.readBytes(4)
        guard reader.readUInt8() == Self.version, let size = reader.readUInt64(), let modified = reader.readUInt64(),
            let verified = reader.readUInt64(), let crc = reader.readUInt32()
        else { return nil }
        let computed = bytes.withUnsafeBytes { rl_crc32c(0, $0.baseAddress, Self.encodedSize - 4) }
        guard computed == crc else { return nil }
        self.init(identity: FileIdentity(size: size, modifiedNanoseconds: Int64(bitPattern: modified)), verifiedOffset: verified)
    }
}
