import NIOCore
import ResetLabProxy

/// Translates one socket's channel events into calls on its ``ProxiedConnection``; decides nothing.
final class RelayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// The stream this socket's incoming data belongs to: the client's data goes upstream.
    let direction: StreamDirection
    let connection: ProxiedConnection

    init(direction: StreamDirection, connection: ProxiedConnection) {
        self.direction = direction
        self.connection = connection
    }

    func channelActive(context: ChannelHandlerContext) {
        if self.direction == .upstream { self.connection.clientActive() }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.connection.received(self.unwrapInboundIn(data), in: self.direction)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.connection.readComplete(in: self.direction)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            self.connection.inputClosed(in: self.direction)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.connection.writabilityChanged(of: self.direction, isWritable: context.channel.isWritable)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connection.socketClosed(sending: self.direction)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A reset (or any error) on one side is mirrored to the other side as a reset.
        self.connection.socketFailed(sending: self.direction)
    }
}

@available(*, unavailable)
extension RelayHandler: Sendable {}
