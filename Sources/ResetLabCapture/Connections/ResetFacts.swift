/// What the first RST of a connection looked like, judged against everything seen before it.
public struct ResetFacts: Sendable, Hashable {
    /// How the RST's sequence number relates to what its receiver expected next.
    public enum SequenceCheck: String, Sendable, Hashable {
        /// Exactly the next sequence number the receiver expected: a RST from the real peer's TCP stack.
        case exact
        /// Inside the receiver's window but not exact (Linux answers such a RST with a challenge ACK).
        case inWindow = "in-window"
        /// Outside the receiver's window: a receiver following RFC 5961 ignores it.
        case outside
        /// The receiver had acknowledged nothing yet (a RST answering a SYN is checked by its ACK field).
        case notApplicable = "n/a"
    }

    /// Whether the originator (client) or the responder (server) sent it.
    public var fromOriginator: Bool
    public var frame: Int
    public var timestamp: Int64
    public var sequenceCheck: SequenceCheck
    /// The RST's TTL or hop limit, and what the same host's other packets carried.
    public var hopLimit: UInt8
    public var senderUsualHopLimit: UInt8?
    /// Unacknowledged payload bytes, both directions together, when the RST was sent.
    public var bytesInFlight: Int
    /// Time since the connection's previous packet, in nanoseconds.
    public var idleBefore: Int64
    /// Retransmissions the RST's sender made, unanswered, just before giving up with it.
    public var senderRetransmissionsBefore: Int
    /// Whether the RST's sender had sent a FIN before (FIN then RST: the 10053 pattern).
    public var senderFinnedBefore: Bool
    /// Payload bytes the RST's receiver sent after the sender's FIN.
    public var receiverBytesAfterSenderFin: Int
    /// Time from the connection's first packet to the RST, in nanoseconds.
    public var sinceStart: Int64

    /// A TTL differing from the sender's other packets by more than a little suggests a device in between
    /// forged the RST (a firewall, an IPS, a load balancer).
    public var middleboxSuspected: Bool {
        guard let usual = self.senderUsualHopLimit else { return false }
        return usual != self.hopLimit
    }
}
