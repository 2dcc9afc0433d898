import NIOCore
import ResetLabSteady

/// Hands a connection's frames and its end to the session it carries. Only translates; on a server the
/// session is found from the first frame (the client's hello).
final class SessionHandler: ChannelInboundHandler {
    typealias InboundIn = [SteadyFrame]

    /// What the connection serves.
    enum Binding {
        /// A client connection: its session is known from the start.
        case session(SessionCore)
        /// A server connection before its hello: the server finds the session.
        case server(SteadyServer)
    }

    private var binding: Binding
    /// The first error seen, reported when the connection ends.
    private var error: (any Error)?

    init(_ binding: Binding) {
        self.binding = binding
    }

    func channelActive(context: ChannelHandlerContext) {
        if case .session(let core) = self.binding { core.connectionActive(context.channel) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frames = Self.unwrapInboundIn(data)
        switch self.binding {
        case .session(let core):
            core.received(frames[...], on: context.channel)
        case .server(let server):
            guard case .hello(let hello) = frames.first else {
                self.error = SteadyProtocolError.unexpectedFrame("the first frame was not a hello")
                context.close(promise: nil)
                return
            }
            guard let core = server.attach(context.channel, hello: hello) else { return }
            self.binding = .session(core)
            if frames.count > 1 { core.received(frames.dropFirst(), on: context.channel) }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .session(let core) = self.binding { core.readComplete(on: context.channel) }
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .session(let core) = self.binding, context.channel.isWritable { core.pump() }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if self.error == nil { self.error = error }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .session(let core) = self.binding {
            core.connectionEnded(context.channel, error: self.error)
        }
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension SessionHandler: Sendable {}
