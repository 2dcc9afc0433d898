import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ResetLabEventLoopExecutor
import ResetLabSteady

/// The server end of Steady sessions: accepts clients, gives each session's messages to the application
/// exactly once and in order, and lets the application send to any session.
///
/// A client that reconnects (after a reset, a dead connection or its own restart with a journal) finds
/// its session here and continues it. With a ``SteadyConfiguration/journalDirectory`` the delivery
/// positions survive the server's own restart too, so nothing is delivered twice.
public final class SteadyServer: Sendable {
    private struct State {
        var sessions: [SessionID: SessionCore] = [:]
        /// How far each session not in `sessions` was delivered: from the journal at start-up, and
        /// sessions that ended since, so a journalled client that comes back later continues cleanly.
        var ended: [SessionID: UInt64] = [:]
        var listener: (any Channel)?
    }

    let loop: any EventLoop
    let configuration: SteadyConfiguration
    let queue: DeliveryQueue
    let journal: JournalFile?
    private let state: NIOLockedValueBox<State>
    /// Runs tasks on the event loop every connection of this server lives on. A task that takes
    /// messages and replies with `withTaskExecutorPreference(server.executor) { … }` skips two thread
    /// hand-overs per round trip.
    public let executor: EventLoopTaskExecutor
    /// Messages from every session.
    public let messages: SteadyMessages
    /// What happened to each session's connections.
    public let events: AsyncStream<(session: SessionID, event: SteadyEvent)>
    private let eventSink: AsyncStream<(session: SessionID, event: SteadyEvent)>.Continuation
    /// The port it listens on.
    public var port: Int { self.state.withLockedValue { $0.listener?.localAddress?.port } ?? 0 }
    /// This run's epoch: with a journal 1, 2, 3 … one per run; without one a random number, so that a
    /// restart is still noticed by the clients.
    public let epoch: UInt64

    private init(configuration: SteadyConfiguration, journal: JournalFile?, recovered: [SessionID: UInt64], loop: any EventLoop) {
        self.configuration = configuration
        self.loop = loop
        self.executor = EventLoopTaskExecutor(eventLoop: loop)
        self.journal = journal
        self.epoch = journal?.epoch ?? UInt64.random(in: 1 ... .max)
        self.state = NIOLockedValueBox(State(ended: recovered))
        self.queue = DeliveryQueue(capacity: configuration.deliveryCapacity)
        self.messages = SteadyMessages(queue: self.queue)
        (self.events, self.eventSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1024))
    }

    /// Listens on `host:port` (port 0: any free port, see ``port``).
    /// - Throws: ``SteadyError`` when the address cannot be bound or the journal cannot be opened.
    public static func bind(host: String, port: Int, configuration: SteadyConfiguration = SteadyConfiguration()) async throws -> SteadyServer {
        var journal: JournalFile?
        var recovered: [SessionID: UInt64] = [:]
        if let directory = configuration.journalDirectory {
            let opened = try JournalFile(directory: directory, name: "server.journal", session: nil)
            var resolved: [JournalRecord] = []
            for (session, delivery) in opened.recovered.delivered {
                var through = delivery.through
                if let pending = delivery.pending, pending.sequence == delivery.through + 1 {
                    if configuration.resolvePendingDelivery?(session, pending) == true {
                        through = pending.sequence
                        resolved.append(.delivered(session: session, through: through, cursor: pending.cursor + pending.length))
                    } else {
                        resolved.append(.delivered(session: session, through: through, cursor: delivery.cursor))
                    }
                }
                recovered[session] = through
            }
            try opened.append(resolved)
            journal = opened
        }
        let loop = configuration.eventLoopGroup.next()
        let server = SteadyServer(configuration: configuration, journal: journal, recovered: recovered, loop: loop)
        let listener = try await server.listen(host: host, port: port)
        server.state.withLockedValue { $0.listener = listener }
        return server
    }

    private func listen(host: String, port: Int) async throws -> any Channel {
        let configuration = self.configuration
        let bootstrap = ServerBootstrap(group: self.loop)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SteadyFrameDecoder(maximumPayload: configuration.maximumPayload)))
                    try channel.pipeline.syncOperations.addHandler(SessionHandler(.server(self)))
                }.flatMap { SocketTuning.apply(to: channel, liveness: configuration.liveness) }
            }
        do {
            return try await bootstrap.bind(host: host, port: port).get()
        } catch {
            throw SteadyError.from(error, during: "listen on \(host):\(port)")
        }
    }

    /// A connection said hello: finds or makes its session and attaches the connection (on the server's
    /// loop, where every connection lives). `nil` when the hello is refused.
    func attach(_ channel: any Channel, hello: SteadyFrame.Hello) -> SessionCore? {
        self.loop.preconditionInEventLoop()
        guard hello.version == SteadyFrame.version else {
            var buffer = channel.allocator.buffer(capacity: 96)
            SteadyFrame.refuse(reason: SteadyProtocolError.unsupportedVersion(hello.version).description).write(to: &buffer)
            channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
            return nil
        }
        let session = hello.session
        let (core, isNew) = self.state.withLockedValue { state -> (SessionCore, Bool) in
            if let core = state.sessions[session] { return (core, false) }
            let delivered = state.ended.removeValue(forKey: session)
            let sink = self.eventSink
            let core = SessionCore(
                session: session, loop: self.loop, configuration: self.configuration, role: .server(self), queue: self.queue,
                journal: self.journal, localEpoch: self.epoch, outbound: OutboundLog(limits: self.configuration.sendLimits),
                deliveredThrough: delivered, emit: { sink.yield((session, $0)) })
            state.sessions[session] = core
            return (core, delivered == nil)
        }
        core.attach(channel, hello: hello, isNew: isNew)
        return core
    }

    /// A session said goodbye and its connection ended: only its delivery position is kept.
    func sessionEnded(_ core: SessionCore) {
        let through = core.deliveredThrough
        self.state.withLockedValue { state in
            guard state.sessions[core.session] === core else { return }
            state.sessions[core.session] = nil
            state.ended[core.session] = through
        }
    }

    /// Sends a message to the client of `session`; it waits for the client if it is away.
    /// - Throws: ``SteadyError`` of kind `sessionClosed` when the session is unknown or over.
    public func send(_ payload: ByteBuffer, to session: SessionID) async throws {
        try await self.core(session).send([payload])
    }

    /// Sends messages in order to the client of `session`.
    public func send(contentsOf payloads: [ByteBuffer], to session: SessionID) async throws {
        try await self.core(session).send(payloads)
    }

    private func core(_ session: SessionID) throws -> SessionCore {
        guard let core = self.state.withLockedValue({ $0.sessions[session] }) else {
            throw SteadyError(.sessionClosed, detail: "no session \(session) on this server")
        }
        return core
    }

    /// Sessions known now (connected or waiting for their client).
    public var sessions: [SessionID] { self.state.withLockedValue { Array($0.sessions.keys) } }

    /// Stops listening, closes every connection and ends ``messages`` once they are taken.
    public func close() async {
        let (listener, cores) = self.state.withLockedValue { state in
            defer { state.listener = nil }
            return (state.listener, Array(state.sessions.values))
        }
        try? await listener?.close()
        for core in cores { await core.close(goodbye: false) }
        self.queue.finish()
        self.eventSink.finish()
    }
}
