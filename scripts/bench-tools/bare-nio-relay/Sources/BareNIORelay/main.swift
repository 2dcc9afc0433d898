// The least a SwiftNIO relay does, as a yardstick for scripts/bench-proxy: each connection accepted on
// 127.0.0.1:PORT is joined to a new one to 127.0.0.1:UPSTREAM; what one side reads is written to the other
// and flushed when the read is complete; when either side ends, both close. No faults, no metrics, no
// half-close: what is left of ResetLab's proxy latency beyond this relay's is ResetLab's own.
//   BareNIORelay PORT UPSTREAM
import NIOCore
import NIOPosix

/// Passes what its channel reads to the other side of the relay.
final class ForwardHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private var peer: Channel?

    init(peer: Channel?) {
        self.peer = peer
    }

    func join(_ peer: Channel) {
        self.peer = peer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.peer?.write(self.unwrapInboundIn(data), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.peer?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.peer?.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]), let upstream = Int(arguments[2]) else {
    print("usage: BareNIORelay PORT UPSTREAM")
    exit(2)
}
let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
let server = try ServerBootstrap(group: group)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    // Nothing is read from the client until the upstream side is connected.
    .childChannelOption(.autoRead, value: false)
    .childChannelInitializer { client in
        ClientBootstrap(group: client.eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { upstreamChannel in
                upstreamChannel.eventLoop.makeCompletedFuture {
                    try upstreamChannel.pipeline.syncOperations.addHandler(ForwardHandler(peer: client))
                }
            }
            .connect(host: "127.0.0.1", port: upstream)
            .flatMapThrowing { upstreamChannel in
                try client.pipeline.syncOperations.addHandler(ForwardHandler(peer: upstreamChannel))
                client.eventLoop.execute { client.setOption(.autoRead, value: true).whenComplete { _ in } }
            }
    }
    .bind(host: "127.0.0.1", port: port)
    .wait()
try server.closeFuture.wait()
