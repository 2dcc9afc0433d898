import NIOCore
import ResetLabSteady

/// Cuts the byte stream into ``SteadyFrame``s with ``FrameParser``. Only translates. Every frame that is
/// complete in what was read goes on in one array: one trip through the pipeline per read, not per
/// message.
final class SteadyFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = [SteadyFrame]

    private let parser: FrameParser

    init(maximumPayload: Int) {
        self.parser = FrameParser(maximumPayload: maximumPayload)
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        var frames: [SteadyFrame] = []
        while case .frame(let frame) = try self.parser.next(from: &buffer) {
            frames.append(frame)
        }
        if !frames.isEmpty { context.fireChannelRead(Self.wrapInboundOut(frames)) }
        return .needMoreData
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        _ = try self.decode(context: context, buffer: &buffer)
        // A partial frame at the end is dropped: the sender still holds the message and resends it.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}

@available(*, unavailable)
extension SteadyFrameDecoder: Sendable {}
