import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ResetLabEventLoopExecutor
import ResetLabSteady

/// One session on one side: its send and receive logs, its current connection (if any), liveness, and
/// the application's waiting senders. Everything but the delivery marks runs on ``loop``; the
/// connection's handler and the public API hop onto it.
final class SessionCore: @unchecked Sendable {
    /// How the session gets its connections.
    enum Role {
        /// A client: it dials `host:port` and reconnects with backoff.
        case client(host: String, port: Int)
        /// A server's session: the client comes back by itself.
        case server(SteadyServer)
    }

    let session: SessionID
    let loop: any EventLoop
    let configuration: SteadyConfiguration
    let role: Role
    let queue: DeliveryQueue
    /// A client's journal holds its unacknowledged messages; a server's, its delivery marks.
    let journal: JournalFile?
    /// This process's epoch, sent in the handshake.
    let localEpoch: UInt64
    private let emit: @Sendable (SteadyEvent) -> Void

    // MARK: Loop-confined state

    private var outbound: OutboundLog
    private var inbound: InboundLog
    /// A client learns where the server's numbering starts from its first welcome.
    private var inboundStarted: Bool
    private var channel: (any Channel)?
    private var established = false
    private var liveness: LivenessClock?
    private var livenessTimer: Scheduled<Void>?
    private var handshakeTimer: Scheduled<Void>?
    /// Why the current connection is being ended by this side, reported instead of the socket's error.
    private var endingReason: SteadyError?
    private var peerEpoch: UInt64?
    /// The last acknowledgement written to a client's journal.
    private var journalledAcknowledgement: UInt64
    private var backoff: ConnectionBackoff
    private var random = SystemRandomNumberGenerator()
    /// Messages accepted while the delivery queue was full; reading is paused until they fit.
    private var overflow = CircularBuffer<SteadyMessage>()
    private var readingPaused = false
    private var sendWaiters = CircularBuffer<SendWaiter>()
    private var drainWaiters: [CheckedContinuation<Void, any Error>] = []
    private var closed: SteadyError?
    private var peerSaidGoodbye = false
    private var reconnect: Scheduled<Void>?

    private struct SendWaiter {
        var payloads: ArraySlice<ByteBuffer>
        var continuation: CheckedContinuation<Void, any Error>
    }

    // MARK: Shared with the consumer

    private struct Marks {
        /// The run of the peer's numbering that messages are delivered from.
        var generation = 0
        var deliveredThrough: UInt64 = 0
        var acknowledgementRequested = false
        var requestedThrough: UInt64 = 0
    }

    private let marks = NIOLockedValueBox(Marks())

    init(
        session: SessionID, loop: any EventLoop, configuration: SteadyConfiguration, role: Role, queue: DeliveryQueue,
        journal: JournalFile?, localEpoch: UInt64, outbound: OutboundLog, deliveredThrough: UInt64?,
        emit: @escaping @Sendable (SteadyEvent) -> Void
    ) {
        self.session = session
        self.loop = loop
        self.configuration = configuration
        self.role = role
        self.queue = queue
        self.journal = journal
        self.localEpoch = localEpoch
        self.outbound = outbound
        self.inbound = InboundLog(deliveredThrough: deliveredThrough ?? 0)
        self.inboundStarted = deliveredThrough != nil
        self.journalledAcknowledgement = outbound.acknowledgedThrough
        self.backoff = ConnectionBackoff(configuration.backoff)
        self.emit = emit
        self.marks.withLockedValue { $0.deliveredThrough = deliveredThrough ?? 0 }
    }

    private var now: Double { Double(NIODeadline.now().uptimeNanoseconds) / 1e9 }

    // MARK: Sending (API side)

    /// Takes `payloads` into the send log, waiting while it is full. Returns once all are taken (and,
    /// with a journal, written to it); not once they are acknowledged.
    func send(_ payloads: [ByteBuffer]) async throws {
        guard !payloads.isEmpty else { return }
        let maximum = self.configuration.maximumPayload
        if let oversized = payloads.first(where: { $0.readableBytes > maximum }) {
            throw SteadyError(
                .tooLarge, detail: "a message of \(oversized.readableBytes) bytes is larger than the maximum payload of \(maximum) bytes; nothing of this call was sent")
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let waiter = SendWaiter(payloads: payloads[...], continuation: continuation)
            // A task on the session's loop (see ``SteadyClient/executor``) hands over without a hop.
            if self.loop.inEventLoop {
                self.enqueue(waiter)
            } else {
                self.loop.execute { self.enqueue(waiter) }
            }
        }
    }

    /// Returns once every message sent so far has been acknowledged.
    func waitUntilAcknowledged() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            self.loop.execute {
                if let closed = self.closed, !self.outbound.isDrained {
                    continuation.resume(throwing: closed)
                } else if self.outbound.isDrained && self.sendWaiters.isEmpty {
                    continuation.resume()
                } else {
                    self.drainWaiters.append(continuation)
                }
            }
        }
    }

    /// Messages taken but not yet acknowledged, including those still waiting to be taken.
    func unacknowledgedCount() async -> Int {
        let answer = self.loop.makePromise(of: Int.self)
        self.loop.execute {
            answer.succeed(self.outbound.heldCount + self.sendWaiters.reduce(0) { $0 + $1.payloads.count })
        }
        return (try? await answer.futureResult.get()) ?? 0
    }

    private func enqueue(_ waiter: SendWaiter) {
        self.loop.preconditionInEventLoop()
        if let closed = self.closed {
            waiter.continuation.resume(throwing: closed)
            return
        }
        self.sendWaiters.append(waiter)
        self.admitWaitingSenders()
        self.pump()
    }

    /// Moves waiting payloads into the send log while there is room, oldest first.
    private func admitWaitingSenders() {
        while var waiter = self.sendWaiters.first {
            let journalled = self.journal != nil && { if case .client = self.role { true } else { false } }()
            var admitted: [(UInt64, ByteBuffer)] = []
            while let payload = waiter.payloads.first, self.outbound.hasRoom(forPayload: payload.readableBytes) {
                let sequence = self.outbound.append(payload)
                if journalled { admitted.append((sequence, payload)) }
                waiter.payloads.removeFirst()
            }
            if let journal = self.journal, journalled, !admitted.isEmpty {
                do {
                    try journal.append(admitted.map { .message(sequence: $0.0, payload: Array($0.1.readableBytesView)) })
                } catch {
                    self.sendWaiters.removeFirst()
                    waiter.continuation.resume(throwing: error)
                    self.fail(error)
                    return
                }
            }
            if waiter.payloads.isEmpty {
                self.sendWaiters.removeFirst()
                waiter.continuation.resume()
            } else {
                self.sendWaiters[self.sendWaiters.startIndex] = waiter
                return
            }
        }
    }

    // MARK: Writing

    /// Writes what is owed on the current connection: an acknowledgement, then unsent messages while
    /// the channel takes them.
    func pump() {
        self.loop.preconditionInEventLoop()
        guard self.established, let channel = self.channel else { return }
        var wrote = false
        self.takeDeliveryMarks()
        if self.inbound.owesAcknowledgement {
            var buffer = channel.allocator.buffer(capacity: 13)
            SteadyFrame.ack(through: self.inbound.acknowledging()).write(to: &buffer)
            channel.write(buffer, promise: nil)
            wrote = true
        }
        while channel.isWritable && self.outbound.hasUnsent {
            var buffer = channel.allocator.buffer(capacity: 1024)
            self.outbound.takeUnsent(limit: 1024) { sequence, payload in
                SteadyFrame.writeData(sequence: sequence, payload: payload, to: &buffer)
            }
            // No promise: the result is not needed (a failed write ends the connection anyway) and it
            // saves an allocation per write.
            channel.write(buffer, promise: nil)
            wrote = true
        }
        if wrote {
            channel.flush()
            self.liveness?.sent(at: self.now)
        }
    }

    // MARK: Delivery marks (consumer side)

    func markDelivered(_ message: SteadyMessage, cursor: UInt64?) throws {
        let fresh = self.marks.withLockedValue { marks in
            message.generation == marks.generation && message.sequence > marks.deliveredThrough
        }
        guard fresh else { return }
        if let journal = self.journal, case .server = self.role {
            try journal.append([.delivered(session: self.session, through: message.sequence, cursor: cursor ?? 0)])
        }
        enum Request { case none, now, soon }
        let request = self.marks.withLockedValue { marks -> Request in
            guard message.generation == marks.generation, message.sequence > marks.deliveredThrough else { return .none }
            marks.deliveredThrough = message.sequence
            guard !marks.acknowledgementRequested else { return .none }
            let batchReached = message.sequence - marks.requestedThrough >= UInt64(max(1, self.configuration.acknowledgementBatch))
            marks.acknowledgementRequested = true
            marks.requestedThrough = message.sequence
            return batchReached ? .now : .soon
        }
        let acknowledge: @Sendable () -> Void = {
            self.marks.withLockedValue { $0.acknowledgementRequested = false }
            self.pump()
        }
        switch request {
        case .none:
            break
        case .now:
            self.loop.execute(acknowledge)
        case .soon:
            // Like TCP's delayed ACK: a message or heartbeat written meanwhile carries the acknowledgement
            // (a request/response exchange never needs a frame of its own).
            let delay = TimeAmount.nanoseconds(Int64(self.configuration.acknowledgementDelay * 1e9))
            self.loop.scheduleTask(in: delay, acknowledge)
        }
    }

    func markDelivering(_ message: SteadyMessage, cursor: UInt64, length: UInt64) throws {
        guard let journal = self.journal, case .server = self.role else { return }
        try journal.append([.delivering(session: self.session, through: message.sequence, cursor: cursor, length: length)])
    }

    /// The last message the application took (and so will not get again).
    var deliveredThrough: UInt64 { self.marks.withLockedValue { $0.deliveredThrough } }

    /// Brings the consumer's marks into the receive log.
    private func takeDeliveryMarks() {
        let (generation, through) = self.marks.withLockedValue { ($0.generation, $0.deliveredThrough) }
        guard generation == self.generationOnLoop else { return }
        let clamped = min(through, self.inbound.acceptedThrough)
        if clamped > self.inbound.deliveredThrough { self.inbound.delivered(through: clamped) }
    }

    private var generationOnLoop = 0

    // MARK: Receiving

    /// Frames that arrived together on `channel`; accepted messages go to the delivery queue at once.
    func received(_ frames: ArraySlice<SteadyFrame>, on channel: any Channel) {
        self.loop.preconditionInEventLoop()
        guard channel === self.channel else { return }
        self.liveness?.heard(at: self.now)
        var arrivals: [SteadyMessage] = []
        defer { if !arrivals.isEmpty { self.deliver(arrivals) } }
        for frame in frames {
            guard channel === self.channel else { return }
            switch frame {
            case .data(let sequence, let payload):
                guard self.established else { return self.violate(.unexpectedFrame("data before the handshake")) }
                do {
                    switch try self.inbound.receive(sequence: sequence) {
                    case .accept:
                        arrivals.append(SteadyMessage(session: self.session, sequence: sequence, payload: payload, core: self, generation: self.generationOnLoop))
                    case .duplicate:
                        break
                    }
                } catch {
                    return self.violate(error)
                }
            case .ack(let through), .heartbeat(let through):
                guard self.established else { return self.violate(.unexpectedFrame("an acknowledgement before the handshake")) }
                self.acknowledged(through: through)
            case .welcome(let welcome):
                self.welcomed(welcome, on: channel)
            case .goodbye:
                self.peerSaidGoodbye = true
            case .refuse(let reason):
                self.endingReason = SteadyError(.protocolViolation, detail: SteadyProtocolError.refused(reason: reason).description)
                channel.close(promise: nil)
                return
            case .hello:
                return self.violate(.unexpectedFrame("a second hello"))
            }
        }
    }

    func readComplete(on channel: any Channel) {
        guard channel === self.channel else { return }
        self.pump()
    }

    private func deliver(_ messages: [SteadyMessage]) {
        var rest = messages[...]
        if self.overflow.isEmpty {
            rest = rest.dropFirst(self.queue.offer(messages, from: self))
            if rest.isEmpty { return }
        }
        self.overflow.append(contentsOf: rest)
        if !self.readingPaused {
            self.readingPaused = true
            self.channel?.setOption(.autoRead, value: false).whenComplete { _ in }
        }
    }

    /// The delivery queue has room again (called from the consumer).
    func resumeReading() {
        self.loop.execute {
            if !self.overflow.isEmpty {
                let taken = self.queue.offer(Array(self.overflow), from: self)
                self.overflow.removeFirst(taken)
                guard self.overflow.isEmpty else { return }
            }
            guard self.readingPaused else { return }
            self.readingPaused = false
            if let channel = self.channel {
                channel.setOption(.autoRead, value: true).whenComplete { _ in }
                channel.read()
            }
        }
    }

    /// The peer has everything through `through` (an acknowledgement, or a handshake's position, which
    /// may already have released messages: the journal and the waiters catch up here either way).
    private func acknowledged(through: UInt64) {
        do {
            try self.outbound.acknowledge(through: through)
            let released = self.outbound.acknowledgedThrough
            if released > self.journalledAcknowledgement, let journal = self.journal, case .client = self.role {
                try journal.append([.acknowledged(through: released)])
                self.journalledAcknowledgement = released
            }
        } catch {
            return self.fail(error)
        }
        self.admitWaitingSenders()
        if self.outbound.isDrained && self.sendWaiters.isEmpty {
            let waiters = self.drainWaiters
            self.drainWaiters = []
            for waiter in waiters { waiter.resume() }
        }
    }

    // MARK: Handshake

    /// A client's connection is up: say hello.
    func connectionActive(_ channel: any Channel) {
        self.loop.preconditionInEventLoop()
        guard case .client = self.role else { return }
        if self.closed != nil {
            channel.close(promise: nil)
            return
        }
        self.channel = channel
        self.endingReason = nil
        let hello = SteadyFrame.Hello(session: self.session, position: self.position)
        var buffer = channel.allocator.buffer(capacity: 64)
        SteadyFrame.hello(hello).write(to: &buffer)
        channel.writeAndFlush(buffer, promise: nil)
        let limit = self.configuration.backoff.minimumConnectTimeout
        self.handshakeTimer = self.loop.scheduleTask(in: .nanoseconds(Int64(limit * 1e9))) {
            guard !self.established, self.channel === channel else { return }
            self.endingReason = SteadyError(.timedOut, detail: "handshake: no welcome from the server within \(limit) s (is it a Steady server?)")
            channel.close(promise: nil)
        }
    }

    private var position: SteadyFrame.Position {
        self.takeDeliveryMarks()
        return SteadyFrame.Position(epoch: self.localEpoch, receivedThrough: self.inbound.deliveredThrough, firstHeld: self.outbound.firstHeld)
    }

    /// A client gets the server's answer.
    private func welcomed(_ welcome: SteadyFrame.Welcome, on channel: any Channel) {
        guard case .client = self.role, !self.established else { return self.violate(.unexpectedFrame("an unexpected welcome")) }
        guard welcome.version == SteadyFrame.version else { return self.violate(.unsupportedVersion(welcome.version)) }
        self.handshakeTimer?.cancel()
        let restarted = self.peerEpoch.map { $0 != welcome.position.epoch } ?? false
        if restarted {
            let sent = self.outbound.sentThrough
            let mayRepeat = !welcome.resumed && sent >= self.outbound.firstHeld ? self.outbound.firstHeld...sent : nil
            self.emit(.peerRestarted(keptState: welcome.resumed, mayRepeat: mayRepeat))
        }
        self.peerEpoch = welcome.position.epoch
        if !self.inboundStarted || !welcome.resumed {
            self.restartInbound(after: welcome.position.firstHeld &- 1)
            self.inboundStarted = true
        }
        do {
            try self.outbound.resume(peerReceived: welcome.position.receivedThrough)
        } catch {
            return self.violate(error)
        }
        self.established = true
        self.backoff.reset()
        self.emit(.connected(peerEpoch: welcome.position.epoch, resumed: welcome.resumed))
        self.startLiveness(on: channel)
        self.acknowledged(through: self.outbound.acknowledgedThrough)
        self.pump()
    }

    /// A server's session gets a client connection (its hello already read). `isNew`: the server did
    /// not know the session.
    func attach(_ channel: any Channel, hello: SteadyFrame.Hello, isNew: Bool) {
        self.loop.preconditionInEventLoop()
        if let old = self.channel, old !== channel {
            self.detach(SteadyError(.closed, detail: "replaced by a new connection from the same session"))
            old.close(promise: nil)
        }
        if let epoch = self.peerEpoch, epoch != hello.position.epoch {
            self.emit(.peerRestarted(keptState: true, mayRepeat: nil))
        }
        self.peerEpoch = hello.position.epoch
        let peerFirst = hello.position.firstHeld &- 1
        if isNew {
            self.restartInbound(after: peerFirst)
        } else if peerFirst > self.inbound.acceptedThrough {
            return self.refuse(channel, SteadyProtocolError.sequenceGap(expected: self.inbound.acceptedThrough + 1, got: peerFirst + 1))
        }
        do {
            try self.outbound.resume(peerReceived: hello.position.receivedThrough)
        } catch {
            return self.refuse(channel, error)
        }
        self.channel = channel
        self.endingReason = nil
        self.peerSaidGoodbye = false
        let welcome = SteadyFrame.Welcome(resumed: !isNew, position: self.position)
        var buffer = channel.allocator.buffer(capacity: 64)
        SteadyFrame.welcome(welcome).write(to: &buffer)
        channel.write(buffer, promise: nil)
        self.established = true
        self.emit(.connected(peerEpoch: hello.position.epoch, resumed: !isNew))
        self.startLiveness(on: channel)
        self.acknowledged(through: self.outbound.acknowledgedThrough)
        self.pump()
        channel.flush()
    }

    private func refuse(_ channel: any Channel, _ error: SteadyProtocolError) {
        var buffer = channel.allocator.buffer(capacity: 64)
        SteadyFrame.refuse(reason: error.description).write(to: &buffer)
        channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
    }

    /// The peer's numbering starts again after `sequence` (a peer that kept no state).
    private func restartInbound(after sequence: UInt64) {
        self.inbound.startAfter(sequence)
        self.overflow.removeAll()
        self.generationOnLoop += 1
        let generation = self.generationOnLoop
        self.marks.withLockedValue {
            $0.generation = generation
            $0.deliveredThrough = sequence
            $0.requestedThrough = sequence
        }
    }

    // MARK: Liveness

    private func startLiveness(on channel: any Channel) {
        self.liveness = LivenessClock(self.configuration.liveness, now: self.now)
        self.scheduleLivenessCheck(on: channel)
    }

    private func scheduleLivenessCheck(on channel: any Channel) {
        guard let clock = self.liveness else { return }
        let delay = max(0.001, clock.nextCheck(now: self.now) - self.now)
        self.livenessTimer = self.loop.scheduleTask(in: .nanoseconds(Int64(delay * 1e9))) {
            self.checkLiveness(on: channel)
        }
    }

    private func checkLiveness(on channel: any Channel) {
        guard channel === self.channel, self.established, var clock = self.liveness else { return }
        let action = clock.check(now: self.now)
        self.liveness = clock
        switch action {
        case .none:
            break
        case .sendHeartbeat:
            self.takeDeliveryMarks()
            var buffer = channel.allocator.buffer(capacity: 13)
            SteadyFrame.heartbeat(through: self.inbound.acknowledging()).write(to: &buffer)
            channel.writeAndFlush(buffer, promise: nil)
        case .declareDead(let silence):
            self.endingReason = SteadyError(
                .timedOut, detail: "nothing from the peer for \(Int(silence.rounded())) s: it is dead, stuck or cut off (half-open connection)")
            // An abortive close: the peer, if it still exists, learns at once.
            (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
                channel.close(promise: nil)
            }
            return
        }
        self.scheduleLivenessCheck(on: channel)
    }

    // MARK: Endings

    private func violate(_ error: SteadyProtocolError) {
        self.endingReason = SteadyError(.protocolViolation, detail: error.description)
        self.channel?.close(promise: nil)
    }

    /// Ends the session for good: nothing more can be sent.
    private func fail(_ error: any Error) {
        let failure = SteadyError.from(error, during: "session")
        self.closed = failure
        for waiter in self.sendWaiters { waiter.continuation.resume(throwing: failure) }
        self.sendWaiters.removeAll()
        for waiter in self.drainWaiters { waiter.resume(throwing: failure) }
        self.drainWaiters = []
        self.endingReason = failure
        self.channel?.close(promise: nil)
    }

    /// The connection `channel` ended; `error` is what the socket reported, if anything.
    func connectionEnded(_ channel: any Channel, error: (any Error)?) {
        self.loop.preconditionInEventLoop()
        guard channel === self.channel else { return }
        let reason = self.endingReason
            ?? (self.peerSaidGoodbye ? SteadyError(.sessionClosed, detail: "the peer ended the session (goodbye)") : SteadyError.from(error, during: "connection"))
        self.detach(reason)
        if case .server(let server) = self.role, self.peerSaidGoodbye {
            server.sessionEnded(self)
        }
        if case .client = self.role, self.closed == nil { self.scheduleReconnect() }
    }

    private func detach(_ reason: SteadyError) {
        self.channel = nil
        self.established = false
        self.liveness = nil
        self.livenessTimer?.cancel()
        self.handshakeTimer?.cancel()
        self.inbound.connectionLost()
        if self.closed == nil { self.emit(.disconnected(reason)) }
    }

    // MARK: Client connections

    /// Dials the server now.
    func connect() {
        self.loop.preconditionInEventLoop()
        guard case .client(let host, let port) = self.role, self.closed == nil else { return }
        let configuration = self.configuration
        let bootstrap = ClientBootstrap(group: self.loop)
            .connectTimeout(.nanoseconds(Int64(configuration.backoff.minimumConnectTimeout * 1e9)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SteadyFrameDecoder(maximumPayload: configuration.maximumPayload)))
                    try channel.pipeline.syncOperations.addHandler(SessionHandler(.session(self)))
                }.flatMap { SocketTuning.apply(to: channel, liveness: configuration.liveness) }
            }
        bootstrap.connect(host: host, port: port).whenFailure { error in
            guard self.closed == nil else { return }
            self.emit(.disconnected(SteadyError.from(error, during: "connect to \(host):\(port)")))
            self.scheduleReconnect()
        }
    }

    private func scheduleReconnect() {
        guard self.closed == nil else { return }
        let delay = self.backoff.nextDelay(using: &self.random)
        self.emit(.reconnecting(after: delay))
        self.reconnect = self.loop.scheduleTask(in: .nanoseconds(Int64(delay * 1e9))) { self.connect() }
    }

    /// Ends the session: with `goodbye`, the peer is told it is over (everything sent is acknowledged).
    func close(goodbye: Bool) async {
        let done = self.loop.makePromise(of: Void.self)
        self.loop.execute {
            let reason = SteadyError(.sessionClosed, detail: "the session was closed")
            self.closed = reason
            self.reconnect?.cancel()
            for waiter in self.sendWaiters { waiter.continuation.resume(throwing: reason) }
            self.sendWaiters.removeAll()
            for waiter in self.drainWaiters { waiter.resume(throwing: reason) }
            self.drainWaiters = []
            guard let channel = self.channel else { return done.succeed() }
            // A goodbye ends the session on the peer too; with messages still unacknowledged the session
            // is not over (a journal keeps them for the next run), so the connection just closes.
            if goodbye && self.established && self.outbound.isDrained {
                var buffer = channel.allocator.buffer(capacity: 8)
                SteadyFrame.goodbye.write(to: &buffer)
                channel.writeAndFlush(buffer, promise: nil)
            }
            channel.close().whenComplete { _ in done.succeed() }
        }
        try? await done.futureResult.get()
    }
}
