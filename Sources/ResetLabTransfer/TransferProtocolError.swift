/// What was wrong with bytes that claimed to be a transfer frame. A peer that sends any of these is not
/// speaking this protocol (or is broken); the connection is closed.
public enum TransferProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame type byte is not one of ``TransferMessageType``.
    case unknownType(UInt8)
    /// The announced payload length is above the type's limit.
    case oversized(type: TransferMessageType, length: Int, limit: Int)
    /// Fewer bytes than the structure needs.
    case truncated(expected: Int, got: Int)
    /// A field's value is impossible (e.g. a name that is not UTF-8, bytes left over).
    case malformed(type: TransferMessageType, reason: String)
    /// The peer speaks another version of the protocol.
    case unsupportedVersion(UInt8)
    /// A valid message arrived where the conversation does not allow it.
    case unexpected(TransferMessageType, expecting: String)

    public var description: String {
        switch self {
        case .unknownType(let byte):
            "unknown frame type \(byte): the peer is not a resetlab transfer endpoint"
        case .oversized(let type, let length, let limit):
            "\(type) frame announces \(length) bytes, more than its limit of \(limit)"
        case .truncated(let expected, let got):
            "truncated frame: needed \(expected) bytes, got \(got)"
        case .malformed(let type, let reason):
            "malformed \(type) frame: \(reason)"
        case .unsupportedVersion(let version):
            "the peer speaks transfer protocol version \(version); this resetlab speaks \(TransferLimits.protocolVersion)"
        case .unexpected(let type, let expecting):
            "unexpected \(type) frame while expecting \(expecting)"
        }
    }
}
