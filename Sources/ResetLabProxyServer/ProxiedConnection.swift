import NIOCore
import NIOPosix
import ResetLabProxy

/// One client connection through a proxy and its upstream connection, with a chain of toxic stages per
/// direction. It only carries out what the stages decide: forward bytes later, end a stream (FIN), close,
/// reset (RST with SO_LINGER {1, 0}), or drop everything.
///
/// Confined to the client channel's event loop; the upstream channel is opened on the same loop, so no
/// state is shared across threads.
final class ProxiedConnection: @unchecked Sendable {
    let eventLoop: EventLoop
    let client: Channel
    private(set) var upstream: Channel?
    private let proxy: RunningProxy
    private var chains: [StreamDirection: ToxicChain] = [.upstream: ToxicChain(), .downstream: ToxicChain()]
    private var random = SystemRandomSource()
    /// Per stage, the latest instant a delivery from it was scheduled for, so nothing overtakes it.
    private var scheduledUntil: [Int: ProxyInstant] = [:]
    private var finished = false
    private var blackholed = false
    private var endedStreams: Set<StreamDirection> = []

    init(client: Channel, proxy: RunningProxy) {
        self.client = client
        self.eventLoop = client.eventLoop
        self.proxy = proxy
    }

    private var now: ProxyInstant { ProxyInstant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds)) }

    private func source(of direction: StreamDirection) -> Channel? {
        direction == .upstream ? self.client : self.upstream
    }

    private func destination(of direction: StreamDirection) -> Channel? {
        direction == .upstream ? self.upstream : self.client
    }

    // MARK: Set-up

    /// Connects upstream without blocking the accepting loop; mirrors a failure to the client as RST.
    func start(upstreamHost: String, upstreamPort: Int, toxics: [ToxicDefinition]) {
        self.eventLoop.assertInEventLoop()
        let bootstrap = ClientBootstrap(group: self.eventLoop)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.autoRead, value: false)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RelayHandler(direction: .downstream, connection: self))
                }
            }
        bootstrap.connect(host: upstreamHost, port: upstreamPort).whenComplete { result in
            switch result {
            case .success(let channel):
                self.upstream = channel
                guard !self.finished else {
                    Self.reset(channel)
                    return
                }
                self.apply(toxics)
                self.client.setOption(.autoRead, value: true).whenComplete { _ in }
                channel.setOption(.autoRead, value: true).whenComplete { _ in }
            case .failure:
                // The upstream refused or never answered: the client gets a reset, not accept-then-EOF.
                self.reset()
            }
        }
    }

    /// Brings the chains in line with the proxy's toxics: new toxics get a fresh stage (and are attached now),
    /// removed ones go, unchanged ones keep their state.
    func apply(_ toxics: [ToxicDefinition]) {
        self.eventLoop.assertInEventLoop()
        guard !self.finished else { return }
        let perConnection = toxics.filter { !$0.kind.isProxyWide }
        for direction in StreamDirection.allCases {
            let wanted = perConnection.filter { $0.stream == direction }
            guard var chain = self.chains[direction] else { continue }
            chain.retain(wanted)
            var added: [Int] = []
            for toxic in wanted where !chain.slots.contains(where: { $0.toxic == toxic }) {
                added.append(chain.append(toxic, stage: toxic.makeStage(random: &self.random)))
            }
            self.chains[direction] = chain
            for id in added {
                let now = self.now
                let actions = self.chains[direction]?.withStage(id) { $0.attached(now: now) } ?? []
                self.handle(actions, from: id, in: direction)
            }
        }
    }

    // MARK: Events from the sockets

    func received(_ buffer: ByteBuffer, in direction: StreamDirection) {
        guard !self.finished, !self.blackholed else { return }
        self.proxy.metrics.received(buffer.readableBytes, in: direction)
        self.notifyOpposite(of: direction, byteCount: buffer.readableBytes)
        guard let chain = self.chains[direction], !chain.isEmpty else {
            // No toxic in this stream: pass the buffer straight through; flushed on readComplete.
            self.write(buffer, in: direction, flush: false)
            return
        }
        self.deliver(Array(buffer.readableBytesView), toPosition: 0, in: direction)
    }

    func readComplete(in direction: StreamDirection) {
        self.destination(of: direction)?.flush()
    }

    func inputClosed(in direction: StreamDirection) {
        guard !self.finished, !self.blackholed else { return }
        self.deliverEnd(toPosition: 0, in: direction)
    }

    func writabilityChanged(of receivingDirection: StreamDirection, isWritable: Bool) {
        // The socket that sends `receivingDirection`'s data is the destination of the opposite stream:
        // when it cannot take more, stop reading from that stream's source.
        let stream = receivingDirection.opposite
        self.source(of: stream)?.setOption(.autoRead, value: isWritable).whenComplete { _ in }
    }

    func socketClosed(sending direction: StreamDirection) {
        guard !self.finished else { return }
        // One socket is gone for good (both directions): close the other gracefully once its writes are out.
        self.finish()
        self.destination(of: direction).map { $0.close(promise: nil) }
        self.source(of: direction).map { $0.close(promise: nil) }
    }

    func socketFailed(sending direction: StreamDirection) {
        guard !self.finished else { return }
        self.reset()
    }

    /// Data moved in `direction`: stages of the opposite chain may care (idle timers, half_close_reset).
    private func notifyOpposite(of direction: StreamDirection, byteCount: Int) {
        let opposite = direction.opposite
        guard let chain = self.chains[opposite], !chain.isEmpty else { return }
        let now = self.now
        for slot in chain.slots {
            let actions = self.chains[opposite]?.withStage(slot.id) { $0.oppositeReceived(byteCount: byteCount, now: now) } ?? []
            self.handle(actions, from: slot.id, in: opposite)
        }
    }

    // MARK: Through the chain

    /// Hands bytes to the stage at `position`, or to the far socket after the last stage.
    private func deliver(_ bytes: [UInt8], toPosition position: Int, in direction: StreamDirection) {
        guard !self.finished, !self.blackholed, let chain = self.chains[direction] else { return }
        guard position < chain.slots.count else {
            var buffer = self.client.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            self.write(buffer, in: direction, flush: true)
            return
        }
        let id = chain.slots[position].id
        let now = self.now
        let actions = self.chains[direction]?.withStage(id) { $0.received(bytes, now: now) } ?? []
        self.handle(actions, from: id, in: direction)
    }

    private func deliverEnd(toPosition position: Int, in direction: StreamDirection) {
        guard !self.finished, let chain = self.chains[direction] else { return }
        guard position < chain.slots.count else {
            self.endStream(direction)
            return
        }
        let id = chain.slots[position].id
        let now = self.now
        let actions = self.chains[direction]?.withStage(id) { $0.endOfStream(now: now) } ?? []
        self.handle(actions, from: id, in: direction)
    }

    /// Carries out a stage's actions.
    private func handle(_ actions: [FaultAction], from id: Int, in direction: StreamDirection) {
        for action in actions {
            switch action {
            case .forward(let bytes, let at):
                self.run(at: at, after: id) { connection in
                    guard let position = connection.chains[direction]?.position(of: id) else {
                        connection.deliver(bytes, toPosition: 0, in: direction)
                        return
                    }
                    connection.deliver(bytes, toPosition: position + 1, in: direction)
                }
            case .endStream(let at):
                self.run(at: at, after: id) { connection in
                    let position = connection.chains[direction]?.position(of: id).map { $0 + 1 } ?? 0
                    connection.deliverEnd(toPosition: position, in: direction)
                }
            case .endOppositeStream(let at):
                self.fired(id, in: direction)
                self.run(at: at, after: id) { $0.endStream(direction.opposite) }
            case .closeConnection(let at):
                self.fired(id, in: direction)
                self.run(at: at, after: id) { $0.close() }
            case .resetConnection(let at):
                self.fired(id, in: direction)
                self.run(at: at, after: id) { $0.reset() }
            case .blackholeConnection:
                self.fired(id, in: direction)
                self.blackholed = true
            case .wake(let at):
                self.run(at: at, after: nil) { connection in
                    let now = connection.now
                    let actions = connection.chains[direction]?.withStage(id) { $0.timerFired(now: now) } ?? []
                    connection.handle(actions, from: id, in: direction)
                }
            }
        }
    }

    /// Runs `work` now, or at `instant` on this loop. Deliveries from one stage never overtake each other:
    /// while one is pending, later ones are scheduled after it.
    private func run(at instant: ProxyInstant, after id: Int?, _ work: @escaping (ProxiedConnection) -> Void) {
        let now = self.now
        var target = instant
        if let id, let pending = self.scheduledUntil[id] {
            if pending > now {
                target = max(target, pending)
            } else {
                self.scheduledUntil[id] = nil
            }
        }
        guard target > now else {
            work(self)
            return
        }
        if let id { self.scheduledUntil[id] = target }
        let deadline = NIODeadline.uptimeNanoseconds(UInt64(max(0, target.nanoseconds)))
        self.eventLoop.scheduleTask(deadline: deadline) { work(self) }
    }

    private func fired(_ id: Int, in direction: StreamDirection) {
        if let kind = self.chains[direction]?.toxic(id)?.kind { self.proxy.metrics.faultFired(kind) }
    }

    // MARK: Acting on the sockets

    private func write(_ buffer: ByteBuffer, in direction: StreamDirection, flush: Bool) {
        guard let destination = self.destination(of: direction), !self.endedStreams.contains(direction) else { return }
        self.proxy.metrics.sent(buffer.readableBytes, in: direction)
        if flush {
            destination.writeAndFlush(buffer, promise: nil)
        } else {
            destination.write(buffer, promise: nil)
        }
    }

    /// FIN towards the receiver of `direction` (shutdown of the write side); the other direction keeps going.
    private func endStream(_ direction: StreamDirection) {
        guard !self.finished, self.endedStreams.insert(direction).inserted,
            let destination = self.destination(of: direction)
        else { return }
        destination.close(mode: .output, promise: nil)
        if self.endedStreams.count == 2 {
            // Both directions are done: release the sockets once the FINs are out.
            self.finish()
            self.client.close(promise: nil)
            self.upstream?.close(promise: nil)
        }
    }

    /// Closes both sockets with FIN.
    func close() {
        guard !self.finished else { return }
        self.finish()
        self.client.close(promise: nil)
        self.upstream?.close(promise: nil)
    }

    /// Aborts both sockets with RST.
    func reset() {
        guard !self.finished else { return }
        self.finish()
        Self.reset(self.client)
        if let upstream = self.upstream { Self.reset(upstream) }
    }

    /// SO_LINGER {1, 0} then close: the kernel sends RST and drops anything unsent.
    static func reset(_ channel: Channel) {
        guard let provider = channel as? SocketOptionProvider else {
            channel.close(promise: nil)
            return
        }
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    private func finish() {
        guard !self.finished else { return }
        self.finished = true
        self.proxy.connectionFinished(self)
    }
}
