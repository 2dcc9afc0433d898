/// One connection while the capture is being read: Zeek's machine plus the facts behind ResetLab's verdicts.
/// Its two sides are indexed by who sent the first packet seen; the originator is decided by ``zeek``.
struct TrackedConnection: Sendable {
    let id: Int
    /// The sender of the first packet seen.
    let firstSender: Endpoint
    let firstReceiver: Endpoint
    var zeek: ZeekConnection
    /// The first sender's side and the other side.
    var firstSide = SideState()
    var otherSide = SideState()
    let start: Int64
    var end: Int64
    /// The first packet's flags: how we know who originated.
    let firstFlags: TCPFlags
    /// The first SYN's sequence number and sender, to tell its retransmissions from a new connection.
    var synSequence: UInt32?
    var synFromFirstSender = true
    /// Kept out of line: most connections never see a RST, and every byte here is multiplied by the
    /// connections alive at once.
    var firstReset: ResetFactsBySide?

    /// ``ResetFacts`` before the originator is known for sure: the sender is recorded by side.
    final class ResetFactsBySide: Sendable {
        let fromFirstSender: Bool
        let facts: ResetFacts

        init(fromFirstSender: Bool, facts: ResetFacts) {
            self.fromFirstSender = fromFirstSender
            self.facts = facts
        }
    }

    init(id: Int, first segment: TCPSegment) {
        self.id = id
        self.firstSender = segment.sourceEndpoint
        self.firstReceiver = segment.destinationEndpoint
        self.zeek = ZeekConnection(first: segment)
        self.start = segment.timestamp
        self.end = segment.timestamp
        self.firstFlags = segment.flags
        self.record(segment, fromFirstSender: true)
    }

    /// Whether `segment` travels between this connection's two endpoints, in either direction.
    @inline(__always)
    func belongs(_ segment: TCPSegment) -> Bool {
        let source = segment.sourceEndpoint
        let destination = segment.destinationEndpoint
        return (source == self.firstSender && destination == self.firstReceiver)
            || (source == self.firstReceiver && destination == self.firstSender)
    }

    /// Whether the connection is over: a RST, or a FIN each way.
    var hasEnded: Bool {
        self.firstReset != nil || (self.firstSide.finAt != nil && self.otherSide.finAt != nil)
    }

    /// Whether a pure SYN on this 4-tuple starts a new connection rather than belonging to this one.
    func isNewConnection(_ segment: TCPSegment) -> Bool {
        guard segment.flags.contains(.syn), !segment.flags.contains(.ack) else { return false }
        let fromFirstSender = segment.sourceEndpoint == self.firstSender
        let isRetransmission = self.synSequence == segment.sequence && self.synFromFirstSender == fromFirstSender
        if isRetransmission { return false }
        if self.hasEnded { return true }
        // A SYN with a new initial sequence number while the previous attempt was never answered: the
        // client gave up and connected again from the same port.
        let answered = self.firstSide.sentSynAck || self.otherSide.sentSynAck
        return self.synSequence != nil && !answered
    }

    /// What ``follow(_:)`` did with a segment.
    enum FollowResult {
        /// The segment starts a new connection on the same 4-tuple; this one was left unchanged.
        case startsNewConnection
        /// The segment was followed; `endedNow` when it ended the connection.
        case followed(endedNow: Bool)
    }

    /// Follows `segment` unless it starts a new connection. One mutating call, so that a connection
    /// stored in an array is examined and changed in place.
    mutating func follow(_ segment: TCPSegment) -> FollowResult {
        if self.isNewConnection(segment) { return .startsNewConnection }
        let wasEnded = self.hasEnded
        self.observe(segment)
        return .followed(endedNow: !wasEnded && self.hasEnded)
    }

    private mutating func observe(_ segment: TCPSegment) {
        let fromFirstSender = segment.sourceEndpoint == self.firstSender
        self.zeek.observe(segment, fromFirstSender: fromFirstSender)
        self.record(segment, fromFirstSender: fromFirstSender)
    }

    private mutating func record(_ segment: TCPSegment, fromFirstSender: Bool) {
        let idle = segment.timestamp - self.end
        if segment.timestamp > self.end { self.end = segment.timestamp }
        if segment.flags.contains(.syn) && !segment.flags.contains(.ack) && self.synSequence == nil {
            self.synSequence = segment.sequence
            self.synFromFirstSender = fromFirstSender
        }
        // The two sides are changed in place (disjoint stored properties), never copied out and back.
        let reset: ResetFacts?
        if fromFirstSender {
            reset = Self.record(segment, sender: &self.firstSide, receiver: &self.otherSide, idleBefore: idle, start: self.start, firstResetSeen: self.firstReset != nil)
        } else {
            reset = Self.record(segment, sender: &self.otherSide, receiver: &self.firstSide, idleBefore: idle, start: self.start, firstResetSeen: self.firstReset != nil)
        }
        if let reset { self.firstReset = ResetFactsBySide(fromFirstSender: fromFirstSender, facts: reset) }
    }

    /// Updates the sending side and the receiving side for one segment; returns the facts of the
    /// connection's first RST when this is it.
    private static func record(
        _ segment: TCPSegment, sender: inout SideState, receiver: inout SideState, idleBefore: Int64, start: Int64,
        firstResetSeen: Bool
    ) -> ResetFacts? {
        let flags = segment.flags
        let now = segment.timestamp
        if flags.contains(.syn) {
            if flags.contains(.ack) {
                sender.sentSynAck = true
            } else {
                sender.synCount &+= 1
            }
            if let scale = segment.options.windowScale { sender.windowScale = scale }
        }
        var reset: ResetFacts?
        if flags.contains(.rst) {
            if !firstResetSeen {
                reset = Self.resetFacts(segment, sender: sender, receiver: receiver, idleBefore: idleBefore, start: start)
            }
            sender.resetCount &+= 1
        }
        sender.packets += 1
        sender.ipBytes += segment.ipLength
        sender.payloadBytes += segment.payloadLength
        if !flags.contains(.rst) {
            if !sender.hasHopLimit {
                sender.hopLimit = segment.hopLimit
                sender.hasHopLimit = true
            } else if sender.hopLimit != segment.hopLimit {
                sender.hopLimitVaries = true
            }
            sender.window = segment.window
            Self.trackSequence(segment, sender: &sender, receiver: &receiver)
        }
        if flags.contains(.fin), sender.finAt == nil {
            sender.finAt = now
        }
        return reset
    }

    /// Data, retransmissions and acknowledgements of a segment that is not a RST.
    private static func trackSequence(_ segment: TCPSegment, sender: inout SideState, receiver: inout SideState) {
        let dataStart = segment.flags.contains(.syn) ? segment.sequence &+ 1 : segment.sequence
        if segment.payloadLength > 0 {
            let dataEnd = dataStart &+ UInt32(truncatingIfNeeded: segment.payloadLength)
            if sender.hasSequence && !SequenceNumber.after(dataEnd, sender.dataEnd) {
                sender.retransmissions &+= 1
                sender.retransmissionsUnanswered &+= 1
            } else {
                sender.dataEnd = dataEnd
                sender.hasSequence = true
            }
            if receiver.finAt != nil { sender.bytesAfterPeerFin += segment.payloadLength }
        } else if !sender.hasSequence {
            sender.dataEnd = dataStart
            sender.hasSequence = true
        }
        if segment.flags.contains(.ack) {
            let ack = segment.acknowledgement
            if !sender.hasAck || SequenceNumber.after(ack, sender.lastAck) {
                // New data acknowledged: the peer's retransmissions were answered.
                if sender.hasAck { receiver.retransmissionsUnanswered = 0 }
                sender.lastAck = ack
                sender.hasAck = true
            }
        }
    }

    /// Judges a RST against what its receiver expected.
    private static func resetFacts(
        _ segment: TCPSegment, sender: SideState, receiver: SideState, idleBefore: Int64, start: Int64
    ) -> ResetFacts {
        let check: ResetFacts.SequenceCheck
        if !receiver.hasAck {
            check = .notApplicable
        } else {
            let offset = SequenceNumber.distance(from: receiver.lastAck, to: segment.sequence)
            let window = receiver.scaledWindow(peerScale: sender.windowScale)
            check = offset == 0 ? .exact : (offset > 0 && offset < max(window, 1) ? .inWindow : .outside)
        }
        var inFlight = 0
        if sender.hasSequence && receiver.hasAck {
            inFlight += max(0, SequenceNumber.distance(from: receiver.lastAck, to: sender.dataEnd))
        }
        if receiver.hasSequence && sender.hasAck {
            inFlight += max(0, SequenceNumber.distance(from: sender.lastAck, to: receiver.dataEnd))
        }
        return ResetFacts(
            fromOriginator: true,  // corrected by side when the record is made
            frame: segment.frame,
            timestamp: segment.timestamp,
            sequenceCheck: check,
            hopLimit: segment.hopLimit,
            senderUsualHopLimit: sender.hasHopLimit && !sender.hopLimitVaries ? sender.hopLimit : nil,
            bytesInFlight: inFlight,
            idleBefore: max(0, idleBefore),
            senderRetransmissionsBefore: Int(sender.retransmissionsUnanswered),
            senderFinnedBefore: sender.finAt != nil,
            receiverBytesAfterSenderFin: receiver.bytesAfterPeerFin,
            sinceStart: segment.timestamp - start
        )
    }
}
