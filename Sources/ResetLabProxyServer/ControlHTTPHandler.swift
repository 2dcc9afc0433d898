import NIOCore
import NIOHTTP1
import ResetLabEventLoopExecutor
import ResetLabProxy

/// Turns HTTP/1.1 requests into ``APIRequest``s for the ``ControlAPI`` and writes its responses back.
/// Keeps connections alive as HTTP/1.1 clients (Toxiproxy's among them) expect.
final class ControlHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: ControlAPI
    /// Where the API's work runs: the API's own event loop.
    private let executor: EventLoopTaskExecutor
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    /// Refuse bodies larger than this (a control API never needs more).
    private let maximumBodySize = 8 << 20

    init(api: ControlAPI, executor: EventLoopTaskExecutor) {
        self.api = api
        self.executor = executor
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body.removeAll(keepingCapacity: true)
        case .body(var buffer):
            if self.body.count + buffer.readableBytes > self.maximumBodySize {
                self.body.removeAll()
                self.head = nil
                context.close(promise: nil)
                return
            }
            self.body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            let request = APIRequest(
                method: head.method.rawValue,
                path: head.uri,
                headers: head.headers.map { ($0.name, $0.value) },
                body: self.body
            )
            let keepAlive = head.isKeepAlive
            let version = head.version
            let api = self.api
            let promise = context.eventLoop.makePromise(of: APIResponse.self)
            Task(executorPreference: self.executor) { promise.succeed(await api.handle(request)) }
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { response in
                Self.write(response, version: version, keepAlive: keepAlive, context: loopBoundContext.value)
            }
        }
    }

    private static func write(_ response: APIResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        if !response.body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension ControlHTTPHandler: Sendable {}
