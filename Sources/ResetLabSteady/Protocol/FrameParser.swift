import NIOCore

/// Cuts frames out of a byte stream. Pure: give it the bytes received so far, it takes what forms whole
/// frames and leaves the rest for later.
///
/// The length prefix is checked against ``maximumFrameLength`` as soon as its 4 bytes are there, before
/// anything is allocated or waited for: a peer cannot make the receiver buffer a frame it will refuse.
public struct FrameParser: Sendable {
    /// The largest frame accepted, type byte and fields included.
    public let maximumFrameLength: Int

    /// - Parameter maximumPayload: The largest message payload accepted, in bytes.
    public init(maximumPayload: Int) {
        self.maximumFrameLength = maximumPayload + 9
    }

    /// What the bytes in a buffer amount to.
    public enum Outcome: Equatable, Sendable {
        /// A whole frame, now consumed from the buffer.
        case frame(SteadyFrame)
        /// Not enough bytes yet; the buffer is untouched.
        case needMoreData
    }

    /// Takes the next frame from `buffer`, or says more bytes are needed.
    /// - Throws: ``SteadyProtocolError`` when the bytes cannot be a Steady frame; the connection must end.
    public func next(from buffer: inout ByteBuffer) throws(SteadyProtocolError) -> Outcome {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard length >= 1 else { throw .emptyFrame }
        guard Int(length) <= self.maximumFrameLength else {
            throw .frameTooLarge(length: Int(length), maximum: self.maximumFrameLength)
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        let start = buffer.readerIndex + 4
        guard let type = buffer.getInteger(at: start, as: UInt8.self) else { return .needMoreData }
        let bodyLength = Int(length) - 1
        guard var body = buffer.getSlice(at: start + 1, length: bodyLength) else { return .needMoreData }
        let frame = try Self.decode(type: type, body: &body)
        buffer.moveReaderIndex(forwardBy: 4 + Int(length))
        return .frame(frame)
    }

    private static func decode(type: UInt8, body: inout ByteBuffer) throws(SteadyProtocolError) -> SteadyFrame {
        guard let kind = SteadyFrame.Kind(rawValue: type) else { throw .unknownFrameType(type) }
        switch kind {
        case .data:
            guard let sequence = body.readInteger(as: UInt64.self) else { throw .shortFrame(kind: "data") }
            return .data(sequence: sequence, payload: body)
        case .ack, .heartbeat:
            guard body.readableBytes == 8, let through = body.readInteger(as: UInt64.self) else {
                throw .shortFrame(kind: kind == .ack ? "ack" : "heartbeat")
            }
            return kind == .ack ? .ack(through: through) : .heartbeat(through: through)
        case .hello:
            guard body.readableBytes == 1 + 16 + 24, let version = body.readInteger(as: UInt8.self),
                let high = body.readInteger(as: UInt64.self), let low = body.readInteger(as: UInt64.self),
                let position = Self.readPosition(&body)
            else { throw .shortFrame(kind: "hello") }
            return .hello(.init(version: version, session: SessionID(high: high, low: low), position: position))
        case .welcome:
            guard body.readableBytes == 1 + 1 + 24, let version = body.readInteger(as: UInt8.self),
                let resumed = body.readInteger(as: UInt8.self), let position = Self.readPosition(&body)
            else { throw .shortFrame(kind: "welcome") }
            return .welcome(.init(version: version, resumed: resumed != 0, position: position))
        case .goodbye:
            guard body.readableBytes == 0 else { throw .shortFrame(kind: "goodbye") }
            return .goodbye
        case .refuse:
            return .refuse(reason: body.readString(length: body.readableBytes) ?? "")
        }
    }

    private static func readPosition(_ body: inout ByteBuffer) -> SteadyFrame.Position? {
        guard let epoch = body.readInteger(as: UInt64.self), let received = body.readInteger(as: UInt64.self),
            let held = body.readInteger(as: UInt64.self)
        else { return nil }
        return SteadyFrame.Position(epoch: epoch, receivedThrough: received, firstHeld: held)
    }
}
