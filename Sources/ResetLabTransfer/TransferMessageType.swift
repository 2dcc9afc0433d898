/// The kind of a transfer frame: its first byte on the wire.
///
/// A transfer is a conversation of length-prefixed frames over one TCP connection:
///
/// ```
///   sender                               receiver
///     | OFFER {name, size, identity} ------> |   name checked, NAME.part opened or resumed
///     | <------------- ACCEPT {offset}       |   (or REFUSE {code, reason})
///     | CHUNK {offset, crc32c, bytes} -----> |   CRC checked, written, verified offset moves
///     | CHUNK ...                      ----> |
///     | <------------------ ACK {offset}     |   every few MB: what is safely on disk
///     | DONE {sha256} ---------------------> |   whole-file SHA-256 compared
///     | <------- VERIFIED {sha256}           |   NAME.part renamed to NAME
///     |          (or MISMATCH {sha256})      |   NAME.part discarded
/// ```
public enum TransferMessageType: UInt8, Sendable, Equatable, CaseIterable {
    case offer = 1
    case accept = 2
    case refuse = 3
    case chunk = 4
    case ack = 5
    case done = 6
    case verified = 7
    case mismatch = 8

    /// The largest payload a frame of this type may announce, checked before anything is allocated.
    public var maximumPayload: Int {
        switch self {
        case .chunk: ChunkHeader.size + TransferLimits.maximumChunkData
        case .offer, .refuse: TransferLimits.maximumControlPayload
        case .accept, .ack: 8
        case .done, .verified, .mismatch: SHA256Digest.byteCount
        }
    }
}

/// The protocol's size limits, shared by both ends.
public enum TransferLimits {
    /// The largest data part of one CHUNK: 16 MiB.
    public static let maximumChunkData = 16 << 20
    /// The largest payload of OFFER and REFUSE.
    public static let maximumControlPayload = 4096
    /// The protocol version this build speaks, carried in OFFER.
    public static let protocolVersion: UInt8 = 1
}
