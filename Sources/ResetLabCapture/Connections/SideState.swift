/// What one side of a connection has sent so far, as far as ResetLab's verdicts need it. Fixed size, no
/// allocation, fields ordered widest first so that no byte is padding: a capture with a million live
/// connections holds a million of these twice.
struct SideState: Sendable {
    var packets = 0
    /// TCP payload bytes sent (retransmissions included, as on the wire).
    var payloadBytes = 0
    /// IP bytes sent (Zeek's `*_ip_bytes`).
    var ipBytes = 0
    /// Payload bytes sent after the peer's FIN.
    var bytesAfterPeerFin = 0
    /// When this side sent its first FIN (nanoseconds), if it did.
    var finAt: Int64?
    /// One past the highest payload byte sent, once any sequence number is known.
    var dataEnd: UInt32 = 0
    /// The last acknowledgement number this side sent: what it expects next from the peer.
    var lastAck: UInt32 = 0
    /// SYNs (without ACK) sent, retransmissions included.
    var synCount: UInt32 = 0
    /// RSTs sent.
    var resetCount: UInt32 = 0
    /// Payload segments sent again (their bytes were sent before).
    var retransmissions: UInt32 = 0
    /// Retransmissions since the peer last acknowledged new data: the timeout-abort pattern's evidence.
    var retransmissionsUnanswered: UInt32 = 0
    /// The last window this side advertised, unscaled.
    var window: UInt16 = 0
    /// The window scale this side announced in its SYN, if any.
    var windowScale: UInt8?
    /// The TTL or hop limit of this side's first packet that was not a RST, and whether later ones differed.
    var hopLimit: UInt8 = 0
    var hasHopLimit = false
    var hopLimitVaries = false
    /// Whether this side sent a SYN-ACK.
    var sentSynAck = false
    var hasSequence = false
    var hasAck = false

    /// The window in bytes, with the scale applied when both sides negotiated it.
    func scaledWindow(peerScale: UInt8?) -> Int {
        guard let scale = self.windowScale, peerScale != nil else { return Int(self.window) }
        return Int(self.window) << Int(min(scale, 14))
    }
}
