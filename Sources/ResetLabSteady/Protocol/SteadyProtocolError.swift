/// The peer sent something that is not the Steady protocol, or broke its rules. The connection is ended
/// and, unless the problem is the session itself, made again.
public enum SteadyProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A frame's length prefix exceeds the configured maximum.
    case frameTooLarge(length: Int, maximum: Int)
    /// A length prefix of 0: no type byte.
    case emptyFrame
    /// A frame type this version does not know.
    case unknownFrameType(UInt8)
    /// A frame whose fields do not have the size its type requires.
    case shortFrame(kind: String)
    /// The first frame was not the handshake, or a handshake came again.
    case unexpectedFrame(String)
    /// The peer speaks another protocol version.
    case unsupportedVersion(UInt8)
    /// A message number that skips ahead of what was delivered: messages in between were lost.
    case sequenceGap(expected: UInt64, got: UInt64)
    /// The peer acknowledged a message that was never sent.
    case acknowledgedUnsent(acknowledged: UInt64, lastSent: UInt64)
    /// The peer refused the connection.
    case refused(reason: String)

    public var description: String {
        switch self {
        case .frameTooLarge(let length, let maximum):
            "the peer sent a frame of \(length) bytes; the maximum is \(maximum) (raise maximumPayload on both sides if that is intended)"
        case .emptyFrame: "the peer sent a frame of length 0"
        case .unknownFrameType(let type): "the peer sent frame type \(type), which this version does not know (is it speaking the Steady protocol?)"
        case .shortFrame(let kind): "the peer sent a \(kind) frame of the wrong size"
        case .unexpectedFrame(let what): "the peer broke the handshake: \(what)"
        case .unsupportedVersion(let version): "the peer speaks Steady protocol version \(version); this build speaks \(SteadyFrame.version)"
        case .sequenceGap(let expected, let got):
            "message \(got) arrived when \(expected) was due: messages \(expected)...\(got - 1) were lost by the sender"
        case .acknowledgedUnsent(let acknowledged, let lastSent):
            "the peer acknowledged message \(acknowledged), but only \(lastSent) were sent (does it belong to another session?)"
        case .refused(let reason): "the peer refused the session: \(reason)"
        }
    }
}
