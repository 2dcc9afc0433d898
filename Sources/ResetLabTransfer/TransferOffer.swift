/// OFFER: the sender's first frame. Payload: `version: UInt8, size: UInt64, modified: Int64 (ns),
/// sender: UInt64, nameLength: UInt16, name: UTF-8`.
public struct TransferOffer: Sendable, Equatable {
    /// The file's name as it should be saved (no directories); the receiver checks it.
    public var name: String
    /// The source file's size and modification time.
    public var identity: FileIdentity
    /// A random number chosen once per sender process: a reconnecting sender may take over its own
    /// transfer from a connection the receiver has not yet seen die; any other sender is told "busy".
    public var sender: UInt64

    public init(name: String, identity: FileIdentity, sender: UInt64) {
        self.name = name
        self.identity = identity
        self.sender = sender
    }

    func encodePayload(into writer: inout ByteWriter) {
        let name = Array(self.name.utf8.prefix(Int(UInt16.max)))
        writer.write(TransferLimits.protocolVersion)
        writer.write(self.identity.size)
        writer.write(UInt64(bitPattern: self.identity.modifiedNanoseconds))
        writer.write(self.sender)
        writer.write(UInt16(name.count))
        writer.write(contentsOf: name)
    }

    static func decode(payload: [UInt8]) throws(TransferProtocolError) -> TransferOffer {
        var reader = ByteReader(payload)
        guard let version = reader.readUInt8() else { throw .truncated(expected: 1, got: 0) }
        guard version == TransferLimits.protocolVersion else { throw .unsupportedVersion(version) }
        guard let size = reader.readUInt64(), let modified = reader.readUInt64(), let sender = reader.readUInt64(),
            let nameLength = reader.readUInt16(), let nameBytes = reader.readBytes(Int(nameLength))
        else { throw .malformed(type: .offer, reason: "shorter than its fields") }
        guard reader.remaining == 0 else { throw .malformed(type: .offer, reason: "\(reader.remaining) bytes left over") }
        guard let name = String(validating: nameBytes, as: UTF8.self) else {
            throw .malformed(type: .offer, reason: "the file name is not valid UTF-8")
        }
        let identity = FileIdentity(size: size, modifiedNanoseconds: Int64(bitPattern: modified))
        return TransferOffer(name: name, identity: identity, sender: sender)
    }
}
