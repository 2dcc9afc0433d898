/// Zeek's TCP analyzer for one connection, reduced to what `conn.log` reports: who originated, both
/// endpoints' states, the `history` string and the byte counts. It follows the order of Zeek's per-packet
/// processing (`TCPSessionAdapter::Process`): endpoint initialisation, history, ACK bookkeeping, last
/// sequence number, then the state machine.
///
/// Differences from Zeek, on purpose: checksums are not verified (captures of the sending host carry
/// offloaded, unfinished checksums; Zeek needs `-C` for them), so `c` never appears; `g` (content gap)
/// needs stream reassembly and is not recorded.
struct ZeekConnection: Sendable {
    private(set) var originator = ZeekEndpoint()
    private(set) var responder = ZeekEndpoint()
    /// Whether the originator is the sender of the connection's first packet (false once roles flipped).
    private(set) var originatorIsFirstSender = true
    /// Whether Zeek's heuristics swapped the roles at some point (the history then holds `^`).
    private(set) var flipped = false
    private var historyBuilder = ZeekHistory()
    /// Packets seen, and whether the first was a SYN-ACK left unflipped: the case in which a following ACK
    /// or data segment flips the roles (Zeek PR #2191).
    private var packets = 0
    private var startedWithUnflippedSynAck = false

    /// Starts following a connection at its first packet, deciding the roles the way Zeek's
    /// `TCPAnalyzer::WantConnection` does.
    init(first segment: TCPSegment, likelyServerPorts: LikelyServerPorts = .zeekDefaults) {
        let flags = segment.flags
        if !flags.contains(.syn) || flags.contains(.ack) {
            // A partial connection (no initial SYN): guess the responder from the ports.
            if likelyServerPorts.contains(segment.sourcePort) {
                let flip = likelyServerPorts.contains(segment.destinationPort)
                    ? !flags.contains(.syn) && segment.sourcePort < segment.destinationPort
                    : true
                if flip { self.flipRoles() }
            }
            self.startedWithUnflippedSynAck = !self.flipped && flags.contains(.syn) && flags.contains(.ack)
                && !flags.contains(.fin) && !flags.contains(.rst)
        }
        self.observe(segment, fromFirstSender: true)
    }

    /// The `history` string so far.
    var history: String { self.historyBuilder.text }

    /// `conn_state` as Zeek would log it now.
    var state: ZeekConnState {
        ZeekConnState.classify(
            originator: self.originator.state, responder: self.responder.state,
            originatorSize: self.originatorBytes, responderSize: self.responderBytes, history: self.history)
    }

    /// `orig_bytes`: the originator's sequence space used, without SYN and FIN.
    var originatorBytes: UInt64 { self.originator.size(peerState: self.responder.state) }
    /// `resp_bytes`.
    var responderBytes: UInt64 { self.responder.size(peerState: self.originator.state) }

    /// Follows one segment; `fromFirstSender` says whether it came from the connection's first sender.
    mutating func observe(_ segment: TCPSegment, fromFirstSender: Bool) {
        self.packets += 1
        if self.packets == 2 && self.startedWithUnflippedSynAck {
            let flags = segment.flags
            if !flags.contains(.syn) && !flags.contains(.fin) && !flags.contains(.rst)
                && (flags.contains(.ack) || segment.payloadLength > 0)
            {
                // A SYN-ACK answered by an ACK or data was no stealth scan: its sender is the responder.
                swap(&self.originator, &self.responder)
                self.originatorIsFirstSender.toggle()
                self.flipped = true
                self.historyBuilder.rewriteLeadingSynAckAfterFlip()
            }
        }
        // The endpoints are changed in place (disjoint stored properties), never copied out and back.
        let reversedHandshake: Bool
        if fromFirstSender == self.originatorIsFirstSender {
            reversedHandshake = Self.process(
                segment, isOriginator: true, endpoint: &self.originator, peer: &self.responder,
                history: &self.historyBuilder)
        } else {
            reversedHandshake = Self.process(
                segment, isOriginator: false, endpoint: &self.responder, peer: &self.originator,
                history: &self.historyBuilder)
        }
        if reversedHandshake { self.flipRoles() }
    }

    /// Swaps the roles, as Zeek's `Connection::FlipRoles`, and records `^`.
    private mutating func flipRoles() {
        swap(&self.originator, &self.responder)
        self.originatorIsFirstSender.toggle()
        self.flipped = true
        self.historyBuilder.appendFlip()
    }

    // MARK: - Per packet

    /// One segment from `endpoint`. Returns true when it revealed a SYN and SYN-ACK captured in reverse
    /// order, after which the roles must be swapped.
    private static func process(
        _ segment: TCPSegment, isOriginator: Bool, endpoint: inout ZeekEndpoint, peer: inout ZeekEndpoint,
        history: inout ZeekHistory
    ) -> Bool {
        let flags = segment.flags
        let length = segment.payloadLength
        let sequence = segment.sequence
        let acknowledgement = segment.acknowledgement
        // Sequence space the segment covers: SYN and FIN count one each; a RST's payload does not count.
        var segmentLength = flags.contains(.rst) ? 0 : length
        if flags.contains(.syn) { segmentLength += 1 }
        if flags.contains(.fin) { segmentLength += 1 }
        let onePast = sequence &+ UInt32(truncatingIfNeeded: segmentLength)

        Self.initialize(&endpoint, flags: flags, sequence: sequence, onePast: onePast)
        // The relative sequence number only tells repeated SYN, FIN and RST letters apart: skip it otherwise.
        var relativeSequence: UInt64 = 0
        if flags.rawValue & (TCPFlags.syn.rawValue | TCPFlags.fin.rawValue | TCPFlags.rst.rawValue) != 0 {
            var underflow = false
            relativeSequence = endpoint.relativeSequence(
                sequence, last: endpoint.lastSequence, wraps: endpoint.sequenceWraps, underflow: &underflow)
        }
        history.record(flags, from: &endpoint, isOriginator: isOriginator, relativeSequence: relativeSequence, length: length)
        if segment.window == 0 && !flags.contains(.rst) && peer.state != .closed && endpoint.state != .reset {
            if endpoint.zeroWindows.occurred() { history.append("W", isOriginator: isOriginator) }
        }
        if flags.contains(.fin) { endpoint.finCount += 1 }
        if flags.contains(.ack) {
            if peer.state == .inactive {
                // Number the peer's sequence space as if its SYN had been seen.
                peer.initialize(start: acknowledgement &- 1, last: acknowledgement &- 1)
            } else {
                // ACKs in RSTs are not trusted; an ACK of 0 far ahead is more likely broken than real; an
                // ACK before the peer's first sequence number (an underflow) is ignored.
                let delta = ZeekEndpoint.delta(acknowledgement, peer.acknowledgedSequence)
                if !flags.contains(.rst) && delta > 0 && !(acknowledgement == 0 && delta > Self.tooLargeSequenceDelta) {
                    var underflow = false
                    _ = peer.relativeSequence(
                        acknowledgement, last: peer.acknowledgedSequence, wraps: peer.acknowledgementWraps,
                        underflow: &underflow)
                    if !underflow { peer.updateAcknowledgedSequence(acknowledgement) }
                }
            }
        }
        if Self.updateLastSequence(&endpoint, onePast: onePast, flags: flags, length: length) {
            history.append("T", isOriginator: isOriginator)
        }
        return Self.updateStateMachine(&endpoint, peer: &peer, segment: segment, isOriginator: isOriginator)
    }

    /// Zeek ignores SYN and RST sequence numbers further than this from what it expected.
    private static let tooLargeSequenceDelta: Int32 = 1_048_576

    /// Zeek's `init_endpoint`: (re)initialises a side's sequence space on its first packet or a new SYN.
    private static func initialize(_ endpoint: inout ZeekEndpoint, flags: TCPFlags, sequence: UInt32, onePast: UInt32) {
        let syn = flags.contains(.syn)
        switch endpoint.state {
        case .inactive:
            if syn {
                endpoint.initialize(start: sequence, last: onePast)
            } else {
                // A partial connection: number it as though a SYN had been seen.
                endpoint.initialize(start: sequence &- 1, last: sequence)
            }
        case .synSent, .synAckSent:
            if syn && sequence != endpoint.startSequence32 { endpoint.initialize(start: sequence, last: onePast) }
        case .established, .partial:
            if syn { endpoint.initialize(start: sequence, last: onePast) }
        case .reset:
            if syn && endpoint.previousState == .inactive { endpoint.initialize(start: sequence, last: onePast) }
        case .closed:
            break
        }
    }

    /// Zeek's `update_last_seq`; returns whether the segment is a retransmission to record as `T`.
    private static func updateLastSequence(
        _ endpoint: inout ZeekEndpoint, onePast: UInt32, flags: TCPFlags, length: Int
    ) -> Bool {
        let delta = ZeekEndpoint.delta(onePast, endpoint.lastSequence)
        if (flags.contains(.syn) || flags.contains(.rst))
            && (delta > Self.tooLargeSequenceDelta || delta < -Self.tooLargeSequenceDelta)
        {
            return false  // implausible: not trusted
        }
        if flags.contains(.fin) && endpoint.lastSequence == endpoint.startSequence32 &+ 1 {
            // Only the SYN and now the FIN seen (perhaps a connection over 2 GB): trust the FIN.
            endpoint.updateLastSequence(onePast)
        } else if endpoint.state == .reset {
            // Nothing after a RST is trusted.
        } else if delta > 0 {
            endpoint.updateLastSequence(onePast)
        } else if length > 0 {
            return endpoint.retransmissions.occurred()
        }
        return false
    }

    // MARK: - State machine

    /// Zeek's `UpdateStateMachine`, dispatching on the sending side's state. Returns true when the roles
    /// must be swapped (a reversed handshake).
    private static func updateStateMachine(
        _ endpoint: inout ZeekEndpoint, peer: inout ZeekEndpoint, segment: TCPSegment, isOriginator: Bool
    ) -> Bool {
        let flags = segment.flags
        switch endpoint.state {
        case .inactive:
            return Self.updateInactive(&endpoint, peer: &peer, segment: segment, isOriginator: isOriginator)
        case .synSent, .synAckSent:
            if flags.contains(.fin) { endpoint.setState(.closed) }
            if flags.contains(.rst) { endpoint.setState(.reset) }
        case .established, .partial:
            if flags.contains(.syn) && endpoint.state == .partial && peer.state == .inactive && !flags.contains(.ack) {
                endpoint.setState(.synSent)
            }
            if flags.contains(.fin) && !flags.contains(.rst) {
                endpoint.setState(.closed)
                if peer.state == .reset && peer.previousState == .closed {
                    // The peer sent FIN then RST: that was a normal end after all.
                    peer.setState(.closed)
                }
            }
            if flags.contains(.rst) { endpoint.setState(.reset) }
        case .closed:
            // After a FIN exchange a RST changes nothing (the connection stays SF).
            if flags.contains(.rst) && peer.state != .closed { endpoint.setState(.reset) }
        case .reset:
            break
        }
        return false
    }

    /// Zeek's `UpdateInactiveState`: the first packet from a side.
    private static func updateInactive(
        _ endpoint: inout ZeekEndpoint, peer: inout ZeekEndpoint, segment: TCPSegment, isOriginator: Bool
    ) -> Bool {
        let flags = segment.flags
        var reversedHandshake = false
        if flags.contains(.syn) {
            if isOriginator {
                endpoint.setState(flags.contains(.ack) ? .synAckSent : .synSent)
            } else {
                if !flags.contains(.ack) && peer.state == .synAckSent && segment.sequence == endpoint.startSequence32 {
                    // The SYN and its SYN-ACK were captured in reverse order: flip and establish.
                    peer.setState(.established)
                    reversedHandshake = true
                }
                if peer.state == .synSent { peer.setState(.established) }
                endpoint.setState(.established)
            }
        }
        if flags.contains(.fin) { endpoint.setState(.closed) }
        if flags.contains(.rst) { endpoint.setState(.reset) }
        if endpoint.state == .inactive {
            if !isOriginator && segment.payloadLength == 0 && peer.state == .synSent {
                // Some stacks ACK a SYN before answering it: not a partial connection.
            } else if flags.contains(.ack) && peer.state == .established {
                // The SYN-ACK was seen, the SYN missed: established rather than partial.
                endpoint.setState(.established)
            } else {
                endpoint.setState(.partial)
            }
        }
        return reversedHandshake
    }
}
