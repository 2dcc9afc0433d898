/// One frame of the transfer protocol, decoded. See ``TransferMessageType`` for the conversation.
public enum TransferMessage: Sendable, Equatable {
    /// The sender's first frame: the file's name and identity.
    case offer(TransferOffer)
    /// The receiver takes the file and wants bytes from `offset` on (its verified offset).
    case accept(offset: UInt64)
    /// The receiver will not take the file (or keep taking it), and why.
    case refuse(TransferRefusal)
    /// Bytes of the file at the header's offset, with their CRC-32C.
    case chunk(ChunkHeader, data: [UInt8])
    /// Everything before `offset` passed its CRC and is written.
    case ack(offset: UInt64)
    /// All bytes were sent; this is the source file's SHA-256.
    case done(SHA256Digest)
    /// The receiver's SHA-256 matched; the file has its final name.
    case verified(SHA256Digest)
    /// The receiver's SHA-256 (carried) differs; its partial file was discarded.
    case mismatch(SHA256Digest)

    /// The frame type that carries this message.
    public var type: TransferMessageType {
        switch self {
        case .offer: .offer
        case .accept: .accept
        case .refuse: .refuse
        case .chunk: .chunk
        case .ack: .ack
        case .done: .done
        case .verified: .verified
        case .mismatch: .mismatch
        }
    }

    /// The whole frame: header and payload.
    public func encoded() -> [UInt8] {
        var payload = ByteWriter()
        switch self {
        case .offer(let offer): offer.encodePayload(into: &payload)
        case .accept(let offset), .ack(let offset): payload.write(offset)
        case .refuse(let refusal): refusal.encodePayload(into: &payload)
        case .chunk(let header, let data):
            return data.withUnsafeBytes { header.encodedFrameHead(dataLength: $0.count) } + data
        case .done(let digest), .verified(let digest), .mismatch(let digest): payload.write(contentsOf: digest.bytes)
        }
        return TransferFrameHeader(type: self.type, length: payload.bytes.count).encoded() + payload.bytes
    }

    /// Decodes a payload whose frame header was already read and checked.
    /// - Throws: ``TransferProtocolError`` when the payload does not fit the type.
    public static func decode(_ header: TransferFrameHeader, payload: [UInt8]) throws(TransferProtocolError) -> TransferMessage {
        guard payload.count == header.length else { throw .truncated(expected: header.length, got: payload.count) }
        switch header.type {
        case .offer:
            return .offer(try TransferOffer.decode(payload: payload))
        case .refuse:
            return .refuse(try TransferRefusal.decode(payload: payload))
        case .accept, .ack:
            var reader = ByteReader(payload)
            guard let offset = reader.readUInt64(), reader.remaining == 0 else {
                throw .malformed(type: header.type, reason: "the offset takes exactly 8 bytes, got \(payload.count)")
            }
            return header.type == .accept ? .accept(offset: offset) : .ack(offset: offset)
        case .chunk:
            let chunk = try ChunkHeader(decoding: payload)
            return .chunk(chunk, data: Array(payload.dropFirst(ChunkHeader.size)))
        case .done, .verified, .mismatch:
            guard let digest = SHA256Digest(bytes: payload) else {
                throw .malformed(type: header.type, reason: "a SHA-256 takes exactly 32 bytes, got \(payload.count)")
            }
            switch header.type {
            case .done: return .done(digest)
            case .verified: return .verified(digest)
            default: return .mismatch(digest)
            }
        }
    }
}
