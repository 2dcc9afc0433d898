import NIOCore
import ResetLabSteady

/// One message received from a peer, exactly once and in order within its session.
///
/// Taking the next message from ``SteadyMessages`` marks this one delivered (it is then acknowledged and
/// the sender forgets it). To mark it sooner, or to record where the application's own output stood
/// (a durable server's reconciliation after a crash), call ``markDelivered(cursor:)``.
public struct SteadyMessage: Sendable {
    /// The session it belongs to (on a server: which client).
    public let session: SessionID
    /// Its number within the session and direction, from 1.
    public let sequence: UInt64
    public let payload: ByteBuffer
    let core: SessionCore
    /// Which run of the peer numbered it (messages of an earlier run are not acknowledged to a later one).
    let generation: Int

    /// Marks the message delivered: with a journal, the mark is written before it is acknowledged.
    /// - Parameter cursor: The application's position after taking it (e.g. its output file's size),
    ///   returned by the journal if the process dies.
    public func markDelivered(cursor: UInt64 = 0) throws {
        try self.core.markDelivered(self, cursor: cursor)
    }

    /// Records, before the application acts on the message, where its output stands and how much acting
    /// will add: if the process dies in between, the next start can tell whether it happened.
    public func markDelivering(cursor: UInt64, length: UInt64) throws {
        try self.core.markDelivering(self, cursor: cursor, length: length)
    }
}

/// The messages received on a client or server, in order per session, each once. Back-pressure: while
/// the application does not take them, at most ``SteadyConfiguration/deliveryCapacity`` wait, then
/// reading stops and the sender's `send` waits.
///
/// Asking for the next message marks the previous one delivered. The marks are handed to the session
/// (and, on a durable server, to its journal) a batch at a time (what one read brought), before the
/// iterator waits for more. An application that must not see a message twice after its own crash
/// records its progress with ``SteadyMessage/markDelivering(cursor:length:)`` and
/// ``SteadyMessage/markDelivered(cursor:)`` itself, as `resetlab steady serve` does.
public struct SteadyMessages: AsyncSequence, Sendable {
    public typealias Element = SteadyMessage
    let queue: DeliveryQueue

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(queue: self.queue)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let queue: DeliveryQueue
        /// The batch being handed out, and the next one's place in it.
        private var batch: [SteadyMessage] = []
        private var index = 0

        init(queue: DeliveryQueue) {
            self.queue = queue
        }

        /// The next message; `nil` once the client or server is closed. Marks the previous one delivered.
        /// - Throws: ``SteadyError`` when a journal mark cannot be written.
        public mutating func next() async throws -> SteadyMessage? {
            if self.index == self.batch.count {
                try self.markBatchDelivered()
                self.batch = await self.queue.take()
                self.index = 0
                guard !self.batch.isEmpty else { return nil }
            }
            defer { self.index += 1 }
            return self.batch[self.index]
        }

        /// Every message of the batch was handed out, and the caller asks for more only after handling
        /// the last: marks the last one of each session delivered.
        private mutating func markBatchDelivered() throws {
            var marked: [ObjectIdentifier] = []
            for message in self.batch.reversed() where !marked.contains(ObjectIdentifier(message.core)) {
                marked.append(ObjectIdentifier(message.core))
                try message.core.markDelivered(message, cursor: nil)
            }
        }
    }
}
