/// The five bytes in front of every frame: `type: UInt8, length: UInt32` (big-endian), where `length`
/// counts the payload that follows.
public struct TransferFrameHeader: Sendable, Equatable {
    /// The header's size on the wire.
    public static let size = 5

    public var type: TransferMessageType
    /// The payload's length in bytes.
    public var length: Int

    public init(type: TransferMessageType, length: Int) {
        self.type = type
        self.length = length
    }

    /// Reads a header from exactly ``size`` bytes and checks the announced length against the type's limit,
    /// so a hostile or corrupted length is refused before any payload is read or allocated.
    /// - Throws: ``TransferProtocolError`` for an unknown type or a length above the type's limit.
    public init(decoding bytes: some Collection<UInt8>) throws(TransferProtocolError) {
        var reader = ByteReader(Array(bytes))
        guard bytes.count == Self.size, let rawType = reader.readUInt8(), let length = reader.readUInt32() else {
            throw .truncated(expected: Self.size, got: bytes.count)
        }
        guard let type = TransferMessageType(rawValue: rawType) else { throw .unknownType(rawType) }
        guard Int(length) <= type.maximumPayload else {
            throw .oversized(type: type, length: Int(length), limit: type.maximumPayload)
        }
        self.init(type: type, length: Int(length))
    }

    /// The header's bytes.
    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.write(self.type.rawValue)
        writer.write(UInt32(self.length))
        return writer.bytes
    }
}
