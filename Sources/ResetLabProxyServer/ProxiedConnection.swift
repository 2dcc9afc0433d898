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
    private var chains = PerDirection(ToxicChain())
    private var random = SystemRandomSource()
    /// Per stage, the latest instant a delivery from it was scheduled for, so nothing overtakes it.
    private var scheduledUntil: [StageKey: ProxyInstant] = [:]
    /// Per stage, what it forwarded (or the end it passed on) that has not reached the next stage yet,
    /// oldest first. A removed stage hands these on at once, so newer data never overtakes them.
    private var inFlight: [StageKey: [InFlight]] = [:]
    private var finished = false
    /// Per stream, bytes that entered its toxic chain and have not reached the far socket yet.
    private var heldBytes = PerDirection(0)
    /// Per stream, whether its destination socket can take more writes.
    private var destinationWritable = PerDirection(true)
    /// Per stream, whether its source is being read.
    private var reading = PerDirection(true)
    /// Above this many held bytes a stream stops reading from its sender (toxics that delay or shape data
    /// push back on the sender, as a slow link would, instead of buffering without bound); below the
    /// low-water mark it reads again.
    private static let heldHighWater = 1 << 20
    private static let heldLowWater = 256 << 10
    private var blackholed = false
    /// Per stream, whether its end (FIN) has been passed on to its destination.
    private var ended = PerDirection(false)
    /// What the client sent before the upstream connection was up. NIO reads a client's data and FIN as
    /// soon as the FIN arrives, even with autoRead off; they are replayed once the upstream is connected.
    private var earlyData: [ByteBuffer] = []
    private var earlyEnd = false
    /// Per stream, whether its sending socket has signalled its end (FIN).
    private var inputEnded = PerDirection(false)

    /// A stage's identity: ids are only unique within one direction's chain.
    private struct StageKey: Hashable {
        var direction: StreamDirection
        var id: Int
    }

    private enum InFlight {
        case bytes([UInt8])
        case end
    }

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
            // As the client side (RunningProxy): reads up to 1 MiB under bulk data.
            .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 1 << 20))
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
                self.replayEarlyInput()
                self.client.setOption(.autoRead, value: true).whenComplete { _ in }
                channel.setOption(.autoRead, value: true).whenComplete { _ in }
            case .failure:
                // The upstream refused or never answered: the client gets a reset, not accept-then-EOF.
                self.reset()
            }
        }
    }

    /// The client's channel is registered and active: the connection limit may now close the listener.
    func clientActive() {
        self.proxy.refreshListening()
    }

    /// Passes on what the client sent before the upstream connection was up, in order.
    private func replayEarlyInput() {
        let data = self.earlyData
        self.earlyData = []
        for buffer in data { self.received(buffer, in: .upstream) }
        if !data.isEmpty { self.readComplete(in: .upstream) }
        if self.earlyEnd { self.inputClosed(in: .upstream) }
    }

    /// Brings the chains in line with the proxy's toxics: new toxics get a fresh stage (and are attached now),
    /// removed ones go, unchanged ones keep their state.
    func apply(_ toxics: [ToxicDefinition]) {
        self.eventLoop.assertInEventLoop()
        guard !self.finished else { return }
        let perConnection = toxics.filter { !$0.kind.isProxyWide }
        for direction in StreamDirection.allCases {
            let wanted = perConnection.filter { $0.stream == direction }
            var kept = self.chains[direction]
            let removed = kept.slots.enumerated().filter { !wanted.contains($0.element.toxic) }
            kept.retain(wanted)
            self.chains[direction] = kept
            // What a removed stage still holds moves on to the stage that now follows; the later stages'
            // items are the older ones, so they go first.
            for (index, slot) in removed.reversed() {
                let position = index - removed.filter { $0.offset < index }.count
                self.release(slot.id, toPosition: position, in: direction)
            }
            guard !self.finished else { return }
            var chain = self.chains[direction]
            var added: [Int] = []
            for toxic in wanted where !chain.slots.contains(where: { $0.toxic == toxic }) {
                added.append(chain.append(toxic, stage: toxic.makeStage(random: &self.random)))
            }
            self.chains[direction] = chain
            if chain.isEmpty {
                // Whatever a removed toxic swallowed will never come out: stop counting it.
                self.heldBytes[direction] = 0
                self.updateReading(direction)
            }
            for id in added {
                let now = self.now
                let actions = self.chains[direction].withStage(id) { $0.attached(now: now) } ?? []
                self.handle(actions, from: id, in: direction)
            }
        }
    }

    // MARK: Events from the sockets

    func received(_ buffer: ByteBuffer, in direction: StreamDirection) {
        guard !self.finished, !self.blackholed else { return }
        guard self.upstream != nil else {
            self.earlyData.append(buffer)
            return
        }
        self.proxy.metrics.received(buffer.readableBytes, in: direction)
        self.notifyOpposite(of: direction, byteCount: buffer.readableBytes)
        guard !self.chains[direction].isEmpty else {
            // No toxic in this stream: pass the buffer straight through; flushed on readComplete.
            self.write(buffer, in: direction, flush: false)
            return
        }
        self.heldBytes[direction] += buffer.readableBytes
        self.updateReading(direction)
        self.deliver(Array(buffer.readableBytesView), toPosition: 0, in: direction)
    }

    /// Reads a stream's source only while its destination is writable and its chain holds little.
    private func updateReading(_ direction: StreamDirection) {
        let held = self.heldBytes[direction]
        let wasReading = self.reading[direction]
        let holdsTooMuch = wasReading ? held > Self.heldHighWater : held > Self.heldLowWater
        let wanted = self.destinationWritable[direction] && !holdsTooMuch
        guard wanted != wasReading, self.upstream != nil else { return }
        self.reading[direction] = wanted
        self.source(of: direction)?.setOption(.autoRead, value: wanted).whenComplete { _ in }
    }

    func readComplete(in direction: StreamDirection) {
        self.destination(of: direction)?.flush()
    }

    func inputClosed(in direction: StreamDirection) {
        guard !self.finished, !self.blackholed else { return }
        guard self.upstream != nil else {
            self.earlyEnd = true
            return
        }
        self.inputEnded[direction] = true
        self.deliverEnd(toPosition: 0, in: direction)
    }

    func writabilityChanged(of receivingDirection: StreamDirection, isWritable: Bool) {
        // The socket that sends `receivingDirection`'s data is the destination of the opposite stream:
        // when it cannot take more, stop reading from that stream's source.
        let stream = receivingDirection.opposite
        self.destinationWritable[stream] = isWritable
        self.updateReading(stream)
    }

    func socketClosed(sending direction: StreamDirection) {
        guard !self.finished else { return }
        if self.ended[direction.opposite] {
            // This socket's output was already shut: NIO closes it for good when its input ends as well,
            // without an inputClosed event. That is the normal end of `direction`'s stream, which goes
            // through the chain like any other; the connection finishes when both streams have ended.
            if !self.inputEnded[direction] { self.inputClosed(in: direction) }
            return
        }
        // One socket is gone for good (both directions): close the other gracefully once its writes are out.
        self.finish()
        for channel in [self.destination(of: direction), self.source(of: direction)].compactMap({ $0 }) {
            Self.afterQueuedWrites(on: channel) { $0.close(promise: nil) }
        }
    }

    func socketFailed(sending direction: StreamDirection) {
        guard !self.finished else { return }
        self.reset()
    }

    /// Data moved in `direction`: stages of the opposite chain may care (idle timers, half_close_reset).
    private func notifyOpposite(of direction: StreamDirection, byteCount: Int) {
        let opposite = direction.opposite
        let chain = self.chains[opposite]
        guard !chain.isEmpty else { return }
        let now = self.now
        for slot in chain.slots {
            let actions = self.chains[opposite].withStage(slot.id) { $0.oppositeReceived(byteCount: byteCount, now: now) } ?? []
            self.handle(actions, from: slot.id, in: opposite)
        }
    }

    // MARK: Through the chain

    /// Hands bytes to the stage at `position`, or to the far socket after the last stage.
    private func deliver(_ bytes: [UInt8], toPosition position: Int, in direction: StreamDirection) {
        guard !self.finished, !self.blackholed else { return }
        let chain = self.chains[direction]
        guard position < chain.slots.count else {
            var buffer = self.client.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            self.write(buffer, in: direction, flush: true)
            self.heldBytes[direction] = max(0, self.heldBytes[direction] - bytes.count)
            self.updateReading(direction)
            return
        }
        let id = chain.slots[position].id
        let now = self.now
        let actions = self.chains[direction].withStage(id) { $0.received(bytes, now: now) } ?? []
        self.handle(actions, from: id, in: direction)
    }

    private func deliverEnd(toPosition position: Int, in direction: StreamDirection) {
        guard !self.finished else { return }
        let chain = self.chains[direction]
        guard position < chain.slots.count else {
            self.endStream(direction)
            return
        }
        let id = chain.slots[position].id
        let now = self.now
        let actions = self.chains[direction].withStage(id) { $0.endOfStream(now: now) } ?? []
        self.handle(actions, from: id, in: direction)
    }

    /// Carries out a stage's actions.
    private func handle(_ actions: [FaultAction], from id: Int, in direction: StreamDirection) {
        let stage = StageKey(direction: direction, id: id)
        for action in actions {
            switch action {
            case .forward(let bytes, let at):
                self.hold(.bytes(bytes), from: id, until: at, in: direction)
            case .endStream(let at):
                self.hold(.end, from: id, until: at, in: direction)
            case .endOppositeStream(let at):
                self.fired(id, in: direction)
                self.run(at: at, after: stage) { $0.endStream(direction.opposite) }
            case .closeConnection(let at):
                self.fired(id, in: direction)
                self.run(at: at, after: stage) { $0.close() }
            case .resetConnection(let at):
                self.fired(id, in: direction)
                self.run(at: at, after: stage) { $0.reset() }
            case .blackholeConnection:
                self.fired(id, in: direction)
                self.blackholed = true
            case .wake(let at):
                self.run(at: at, after: nil) { connection in
                    let now = connection.now
                    let actions = connection.chains[direction].withStage(id) { $0.timerFired(now: now) } ?? []
                    connection.handle(actions, from: id, in: direction)
                }
            }
        }
    }

    /// Queues what stage `id` passed on and hands the stage's oldest item to the next stage at `instant`.
    private func hold(_ item: InFlight, from id: Int, until instant: ProxyInstant, in direction: StreamDirection) {
        let key = StageKey(direction: direction, id: id)
        self.inFlight[key, default: []].append(item)
        self.run(at: instant, after: key) { connection in
            guard let position = connection.chains[direction].position(of: id),
                var items = connection.inFlight[key], !items.isEmpty
            else { return }
            let item = items.removeFirst()
            connection.inFlight[key] = items.isEmpty ? nil : items
            connection.pass(item, toPosition: position + 1, in: direction)
        }
    }

    /// Hands everything a removed stage still held to the stage now at `position`, oldest first.
    private func release(_ id: Int, toPosition position: Int, in direction: StreamDirection) {
        let key = StageKey(direction: direction, id: id)
        self.scheduledUntil[key] = nil
        for item in self.inFlight.removeValue(forKey: key) ?? [] {
            self.pass(item, toPosition: position, in: direction)
        }
    }

    private func pass(_ item: InFlight, toPosition position: Int, in direction: StreamDirection) {
        switch item {
        case .bytes(let bytes): self.deliver(bytes, toPosition: position, in: direction)
        case .end: self.deliverEnd(toPosition: position, in: direction)
        }
    }

    /// Runs `work` now, or at `instant` on this loop. Deliveries from one stage never overtake each other:
    /// while one is pending, later ones are scheduled after it.
    private func run(
        at instant: ProxyInstant,
        after stage: StageKey?,
        _ work: @escaping @Sendable (ProxiedConnection) -> Void
    ) {
        let now = self.now
        var target = instant
        if let stage, let pending = self.scheduledUntil[stage] {
            if pending > now {
                target = max(target, pending)
            } else {
                self.scheduledUntil[stage] = nil
            }
        }
        guard target > now else {
            work(self)
            return
        }
        if let stage { self.scheduledUntil[stage] = target }
        let deadline = NIODeadline.uptimeNanoseconds(UInt64(max(0, target.nanoseconds)))
        self.eventLoop.scheduleTask(deadline: deadline) { work(self) }
    }

    private func fired(_ id: Int, in direction: StreamDirection) {
        if let kind = self.chains[direction].toxic(id)?.kind { self.proxy.metrics.faultFired(kind) }
    }

    // MARK: Acting on the sockets

    private func write(_ buffer: ByteBuffer, in direction: StreamDirection, flush: Bool) {
        guard let destination = self.destination(of: direction), !self.ended[direction] else { return }
        self.proxy.metrics.sent(buffer.readableBytes, in: direction)
        if flush {
            destination.writeAndFlush(buffer, promise: nil)
        } else {
            destination.write(buffer, promise: nil)
        }
    }

    /// FIN towards the receiver of `direction` (shutdown of the write side); the other direction keeps going.
    private func endStream(_ direction: StreamDirection) {
        guard !self.finished, !self.ended[direction] else { return }
        self.ended[direction] = true
        guard let destination = self.destination(of: direction) else { return }
        guard self.ended[direction.opposite] else {
            Self.afterQueuedWrites(on: destination) { $0.close(mode: .output, promise: nil) }
            return
        }
        // Both directions are done: release the sockets once what is queued for them is out.
        self.finish()
        for channel in [self.client, self.upstream].compactMap({ $0 }) {
            Self.afterQueuedWrites(on: channel) { $0.close(promise: nil) }
        }
    }

    /// Runs `body` once every write queued on `channel` so far has been handed to the kernel (or failed).
    /// Closing at once would drop them: NIO makes a half-close of a channel whose input is already closed a
    /// full close, and a full close fails the queued writes.
    private static func afterQueuedWrites(on channel: Channel, _ body: @escaping @Sendable (Channel) -> Void) {
        channel.writeAndFlush(channel.allocator.buffer(capacity: 0)).whenComplete { _ in body(channel) }
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
