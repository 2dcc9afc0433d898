import NIOCore

/// One unit of the Steady protocol on the wire.
///
/// Every frame is a 4-byte big-endian length, then that many bytes: a 1-byte type and the type's fields
/// (all integers big-endian). A connection starts with ``hello`` from the client and ``welcome`` from the
/// server; after that either side sends ``data``, ``ack``, ``heartbeat`` and finally ``goodbye``.
///
/// | type | frame | fields |
/// |---|---|---|
/// | 1 | hello | version (1), session id (16), epoch (8), received through (8), first held (8) |
/// | 2 | welcome | version (1), resumed (1), epoch (8), received through (8), first held (8) |
/// | 3 | data | sequence number (8), payload (the rest) |
/// | 4 | ack | delivered through (8) |
/// | 5 | heartbeat | delivered through (8) |
/// | 6 | goodbye | none |
/// | 7 | refuse | reason (UTF-8, the rest) |
public enum SteadyFrame: Sendable, Equatable {
    /// The client's opening: which session this connection continues and where it stands.
    case hello(Hello)
    /// The server's answer to ``hello``: whether it knew the session, and where it stands.
    case welcome(Welcome)
    /// One application message and its sequence number (from 1, per direction and session).
    case data(sequence: UInt64, payload: ByteBuffer)
    /// Every message up to and including `through` has been delivered to the application.
    case ack(through: UInt64)
    /// "Still here": sent when nothing else was sent for a while. Carries the same number as ``ack``.
    case heartbeat(through: UInt64)
    /// The sender has nothing more to send and everything it sent is acknowledged: the session ends.
    case goodbye
    /// The peer will not go on with this connection, and why (a version or session it cannot serve).
    case refuse(reason: String)

    /// The protocol version this build speaks.
    public static let version: UInt8 = 1

    /// Where one side stands, sent in both directions of the handshake.
    public struct Position: Sendable, Equatable {
        /// The sender's epoch: it changes whenever that process starts afresh, so a restart is seen.
        public var epoch: UInt64
        /// The highest sequence number the sender has delivered from the peer, all before it included.
        public var receivedThrough: UInt64
        /// The lowest sequence number the sender still holds for resending (its next new one if none).
        public var firstHeld: UInt64

        public init(epoch: UInt64, receivedThrough: UInt64, firstHeld: UInt64) {
            self.epoch = epoch
            self.receivedThrough = receivedThrough
            self.firstHeld = firstHeld
        }
    }

    public struct Hello: Sendable, Equatable {
        public var version: UInt8
        public var session: SessionID
        public var position: Position

        public init(version: UInt8 = SteadyFrame.version, session: SessionID, position: Position) {
            self.version = version
            self.session = session
            self.position = position
        }
    }

    public struct Welcome: Sendable, Equatable {
        public var version: UInt8
        /// The server knew the session: nothing it delivered before is delivered again.
        public var resumed: Bool
        public var position: Position

        public init(version: UInt8 = SteadyFrame.version, resumed: Bool, position: Position) {
            self.version = version
            self.resumed = resumed
            self.position = position
        }
    }

    enum Kind: UInt8 {
        case hello = 1, welcome, data, ack, heartbeat, goodbye, refuse
    }
}

extension SteadyFrame {
    /// Bytes of a data frame before its payload: length (4), type (1), sequence number (8).
    public static let dataHeaderLength = 13

    /// Appends the frame, length prefix included, to `buffer`.
    public func write(to buffer: inout ByteBuffer) {
        switch self {
        case .hello(let hello):
            buffer.writeInteger(UInt32(1 + 1 + 16 + 24))
            buffer.writeInteger(Kind.hello.rawValue)
            buffer.writeInteger(hello.version)
            buffer.writeInteger(hello.session.high)
            buffer.writeInteger(hello.session.low)
            Self.write(hello.position, to: &buffer)
        case .welcome(let welcome):
            buffer.writeInteger(UInt32(1 + 1 + 1 + 24))
            buffer.writeInteger(Kind.welcome.rawValue)
            buffer.writeInteger(welcome.version)
            buffer.writeInteger(UInt8(welcome.resumed ? 1 : 0))
            Self.write(welcome.position, to: &buffer)
        case .data(let sequence, let payload):
            Self.writeData(sequence: sequence, payload: payload, to: &buffer)
        case .ack(let through):
            buffer.writeInteger(UInt32(9))
            buffer.writeInteger(Kind.ack.rawValue)
            buffer.writeInteger(through)
        case .heartbeat(let through):
            buffer.writeInteger(UInt32(9))
            buffer.writeInteger(Kind.heartbeat.rawValue)
            buffer.writeInteger(through)
        case .goodbye:
            buffer.writeInteger(UInt32(1))
            buffer.writeInteger(Kind.goodbye.rawValue)
        case .refuse(let reason):
            let text = Array(reason.utf8.prefix(1024))
            buffer.writeInteger(UInt32(1 + text.count))
            buffer.writeInteger(Kind.refuse.rawValue)
            buffer.writeBytes(text)
        }
    }

    /// Appends a data frame without building a ``SteadyFrame`` first (the hot path).
    @inlinable
    public static func writeData(sequence: UInt64, payload: ByteBuffer, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(9 + payload.readableBytes))
        buffer.writeInteger(UInt8(3))
        buffer.writeInteger(sequence)
        buffer.writeImmutableBuffer(payload)
    }

    private static func write(_ position: Position, to buffer: inout ByteBuffer) {
        buffer.writeInteger(position.epoch)
        buffer.writeInteger(position.receivedThrough)
        buffer.writeInteger(position.firstHeld)
    }
}
