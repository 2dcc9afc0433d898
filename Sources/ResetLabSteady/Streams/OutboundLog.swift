import NIOCore

/// The sending half of a session: numbers messages, keeps each one until the peer has acknowledged it,
/// and knows what to (re)send on the current connection. A value with no I/O.
///
/// Memory is bounded: ``hasRoom(forPayload:)`` turns false when ``Limits`` are reached, and the caller
/// waits (back-pressure) instead of dropping anything.
public struct OutboundLog: Sendable {
    /// How much may wait for acknowledgement at once.
    public struct Limits: Sendable, Equatable {
        public var messages: Int
        public var bytes: Int

        public init(messages: Int = 65_536, bytes: Int = 64 << 20) {
            self.messages = max(1, messages)
            self.bytes = max(1, bytes)
        }
    }

    public let limits: Limits
    /// Unacknowledged messages, oldest first; their sequence numbers are consecutive.
    private var held = CircularBuffer<ByteBuffer>()
    /// The sequence number of `held.first`.
    public private(set) var firstHeld: UInt64
    /// Bytes of payload held.
    public private(set) var heldBytes = 0
    /// The highest sequence number written on the current connection.
    public private(set) var sentThrough: UInt64

    /// - Parameter firstSequence: The next message's number: 1 for a new session, more when a journal
    ///   says earlier messages exist.
    public init(limits: Limits = Limits(), firstSequence: UInt64 = 1) {
        self.limits = limits
        self.firstHeld = max(1, firstSequence)
        self.sentThrough = self.firstHeld - 1
    }

    /// The number the next new message gets.
    public var nextSequence: UInt64 { self.firstHeld + UInt64(self.held.count) }
    /// The highest number the peer has acknowledged.
    public var acknowledgedThrough: UInt64 { self.firstHeld - 1 }
    /// Messages waiting for acknowledgement.
    public var heldCount: Int { self.held.count }
    /// Whether every message sent so far has been acknowledged.
    public var isDrained: Bool { self.held.isEmpty }
    /// Whether messages are waiting to be written on the current connection.
    public var hasUnsent: Bool { self.sentThrough < self.nextSequence - 1 }

    /// Whether a message of `count` bytes fits now. A message larger than the byte limit fits when
    /// nothing else is held, so that it can never block for ever.
    public func hasRoom(forPayload count: Int) -> Bool {
        if self.held.isEmpty { return true }
        return self.held.count < self.limits.messages && self.heldBytes + count <= self.limits.bytes
    }

    /// Adds a message; returns its sequence number.
    @discardableResult
    public mutating func append(_ payload: ByteBuffer) -> UInt64 {
        let sequence = self.nextSequence
        self.held.append(payload)
        self.heldBytes += payload.readableBytes
        return sequence
    }

    /// Adds a message that a journal already numbered (when a session is restored).
    public mutating func restore(sequence: UInt64, payload: ByteBuffer) {
        precondition(sequence == self.nextSequence, "journal replay out of order")
        self.append(payload)
    }

    /// The messages to write on the connection now, oldest first, at most `limit` of them: `write` gets
    /// each one's sequence number and payload, and they count as sent from here on.
    /// - Returns: How many there were.
    @discardableResult
    public mutating func takeUnsent(limit: Int = .max, _ write: (UInt64, ByteBuffer) -> Void) -> Int {
        guard self.hasUnsent else { return 0 }
        let from = self.sentThrough + 1
        let to = min(self.nextSequence - 1, from &+ UInt64(max(1, limit)) - 1)
        var index = self.held.index(self.held.startIndex, offsetBy: Int(from - self.firstHeld))
        for sequence in from...to {
            write(sequence, self.held[index])
            self.held.formIndex(after: &index)
        }
        self.sentThrough = to
        return Int(to - from + 1)
    }

    /// The peer has delivered everything through `through`: those messages are released.
    /// - Returns: How many messages were released.
    /// - Throws: When `through` names a message that was never sent.
    @discardableResult
    public mutating func acknowledge(through: UInt64) throws(SteadyProtocolError) -> Int {
        guard through < self.nextSequence else {
            throw .acknowledgedUnsent(acknowledged: through, lastSent: self.nextSequence - 1)
        }
        guard through >= self.firstHeld else { return 0 }
        let count = Int(through - self.firstHeld + 1)
        for _ in 0..<count {
            self.heldBytes -= self.held.removeFirst().readableBytes
        }
        self.firstHeld = through + 1
        if self.sentThrough < through { self.sentThrough = through }
        return count
    }

    /// A new connection starts and the peer says it has delivered through `peerReceived`: everything
    /// after that is sent again, everything up to it is released.
    public mutating func resume(peerReceived: UInt64) throws(SteadyProtocolError) {
        try self.acknowledge(through: peerReceived)
        self.sentThrough = self.acknowledgedThrough
    }
}
