/// The receiving half of a session: passes each message on exactly once, in order, and remembers how far
/// the application has taken them, which is what acknowledgements report. A value with no I/O.
public struct InboundLog: Sendable, Equatable {
    /// The highest sequence number accepted from the wire (handed towards the application).
    public private(set) var acceptedThrough: UInt64
    /// The highest sequence number the application has taken: acknowledgements report this.
    public private(set) var deliveredThrough: UInt64
    /// The highest number reported to the peer so far.
    public private(set) var acknowledgedThrough: UInt64

    public init(deliveredThrough: UInt64 = 0) {
        self.acceptedThrough = deliveredThrough
        self.deliveredThrough = deliveredThrough
        self.acknowledgedThrough = deliveredThrough
    }

    /// What to do with an arriving message.
    public enum Verdict: Equatable, Sendable {
        /// New and next in order: pass it on.
        case accept
        /// Already accepted (a resend after a reconnect): drop it.
        case duplicate
    }

    /// Judges the message numbered `sequence`.
    /// - Throws: ``SteadyProtocolError/sequenceGap(expected:got:)`` when messages before it are missing.
    public mutating func receive(sequence: UInt64) throws(SteadyProtocolError) -> Verdict {
        if sequence <= self.acceptedThrough { return .duplicate }
        guard sequence == self.acceptedThrough + 1 else {
            throw .sequenceGap(expected: self.acceptedThrough + 1, got: sequence)
        }
        self.acceptedThrough = sequence
        return .accept
    }

    /// The application has taken every message through `sequence`.
    public mutating func delivered(through sequence: UInt64) {
        precondition(sequence <= self.acceptedThrough, "delivered a message that was not accepted")
        if sequence > self.deliveredThrough { self.deliveredThrough = sequence }
    }

    /// A connection ended: accepted messages the application has not taken are still queued for it, so
    /// nothing changes; the peer will resend from ``deliveredThrough`` and those copies are duplicates.
    /// A new session from a peer that kept no state starts after `peerFirstHeld - 1`.
    public mutating func startAfter(_ sequence: UInt64) {
        self.acceptedThrough = sequence
        self.deliveredThrough = sequence
        self.acknowledgedThrough = sequence
    }

    /// Whether an acknowledgement is owed: the application took messages since the last one.
    public var owesAcknowledgement: Bool { self.deliveredThrough > self.acknowledgedThrough }

    /// Records that an acknowledgement for ``deliveredThrough`` is being sent; returns its number.
    public mutating func acknowledging() -> UInt64 {
        self.acknowledgedThrough = self.deliveredThrough
        return self.deliveredThrough
    }

    /// A connection ended: the next one reports its position in the handshake.
    public mutating func connectionLost() {
        self.acknowledgedThrough = self.deliveredThrough
    }
}
