import NIOCore
import ResetLabEventLoopExecutor
import ResetLabSteady

/// The client end of a Steady session: sends messages that arrive exactly once and in order, across
/// resets, dead connections and server restarts, and receives the server's.
///
/// ```swift
/// let client = try SteadyClient(host: "127.0.0.1", port: 7000)
/// try await client.send(ByteBuffer(string: "hello"))
/// try await client.waitUntilAcknowledged()
/// await client.close()
/// ```
///
/// It connects at once and keeps reconnecting (see ``SteadyConfiguration/backoff``) until closed. With a
/// ``SteadyConfiguration/journalDirectory`` the session and its unacknowledged messages survive the
/// process: the next run continues the same session and resends them.
public final class SteadyClient: Sendable {
    let core: SessionCore
    /// Messages from the server.
    public let messages: SteadyMessages
    /// What happened to the connection: connects, disconnects and why, reconnect delays, peer restarts.
    public let events: AsyncStream<SteadyEvent>
    private let eventSink: AsyncStream<SteadyEvent>.Continuation

    /// Runs tasks on the event loop of this client's connection. A task that sends and receives with
    /// `withTaskExecutorPreference(client.executor) { … }` skips two thread hand-overs per round trip.
    public let executor: EventLoopTaskExecutor

    /// The session's identity (kept in the journal, if any).
    public var session: SessionID { self.core.session }
    /// This run's epoch: with a journal 1, 2, 3 … one per run; without one a random number.
    public var epoch: UInt64 { self.core.localEpoch }
    /// How many messages earlier runs of this session took (known from the journal); 0 without one.
    /// The next message sent gets this number plus one.
    public let previouslyTaken: UInt64

    /// Starts a client of the server at `host:port`.
    /// - Throws: ``SteadyError`` of kind `journal` when the journal cannot be opened.
    public init(host: String, port: Int, configuration: SteadyConfiguration = SteadyConfiguration()) throws {
        let (events, sink) = AsyncStream<SteadyEvent>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        self.events = events
        self.eventSink = sink
        let queue = DeliveryQueue(capacity: configuration.deliveryCapacity)
        self.messages = SteadyMessages(queue: queue)
        var outbound = OutboundLog(limits: configuration.sendLimits)
        var journal: JournalFile?
        var session = SessionID.random()
        if let directory = configuration.journalDirectory {
            let opened = try JournalFile(directory: directory, name: "client.journal", session: nil)
            let recovered = opened.recovered
            if let known = recovered.session, known != SessionID(high: 0, low: 0) {
                session = known
            }
            // The identity record written at open carries the zero session when the journal is new: write
            // the real one.
            try opened.append([.identity(session: session, epoch: opened.epoch)])
            outbound = OutboundLog(limits: configuration.sendLimits, firstSequence: recovered.acknowledgedThrough + 1)
            for message in recovered.held {
                outbound.restore(sequence: message.sequence, payload: ByteBuffer(bytes: message.payload))
            }
            journal = opened
        }
        self.previouslyTaken = outbound.nextSequence - 1
        self.core = SessionCore(
            session: session, loop: configuration.eventLoopGroup.next(), configuration: configuration,
            role: .client(host: host, port: port), queue: queue, journal: journal,
            localEpoch: journal?.epoch ?? UInt64.random(in: 1 ... .max), outbound: outbound, deliveredThrough: nil,
            emit: { sink.yield($0) })
        self.executor = EventLoopTaskExecutor(eventLoop: self.core.loop)
        let core = self.core
        core.loop.execute { core.connect() }
    }

    /// Sends one message. Returns once it is taken (written to the journal, if any), waiting while the
    /// unacknowledged messages fill ``SteadyConfiguration/sendLimits``.
    /// - Throws: ``SteadyError`` once the client is closed.
    public func send(_ payload: ByteBuffer) async throws {
        try await self.core.send([payload])
    }

    /// Sends messages in order; cheaper per message than one `send` each.
    public func send(contentsOf payloads: [ByteBuffer]) async throws {
        try await self.core.send(payloads)
    }

    /// Returns once the server has delivered every message sent so far.
    public func waitUntilAcknowledged() async throws {
        try await self.core.waitUntilAcknowledged()
    }

    /// Messages sent (or waiting to be taken by `send`) that the server has not acknowledged yet.
    public func unacknowledgedCount() async -> Int {
        await self.core.unacknowledgedCount()
    }

    /// Closes the connection and stops reconnecting. When everything sent was acknowledged, the server
    /// is told goodbye and forgets the session; otherwise the messages not yet acknowledged stay in the
    /// journal, if any, and the next run with it continues the session. Call ``waitUntilAcknowledged()``
    /// first to be sure none are left.
    public func close() async {
        await self.core.close(goodbye: true)
        self.messages.queue.finish()
        self.eventSink.finish()
    }
}
