/// Everything ResetLab says about one TCP connection once it has ended or the capture has.
public struct ConnectionRecord: Sendable, Hashable {
    /// Traffic one side sent.
    public struct Direction: Sendable, Hashable {
        public var packets: Int
        /// TCP payload bytes on the wire, retransmissions included.
        public var payloadBytes: Int
        /// IP bytes (Zeek's `*_ip_bytes`).
        public var ipBytes: Int
        /// Zeek's `*_bytes`: sequence space covered, without SYN and FIN.
        public var zeekBytes: Int
        public var retransmissions: Int
    }

    /// Numbered from 1 in the order connections were first seen.
    public var id: Int
    public var originator: Endpoint
    public var responder: Endpoint
    public var originReason: OriginReason
    /// Nanoseconds since the Unix epoch.
    public var start: Int64
    public var end: Int64
    public var fromOriginator: Direction
    public var fromResponder: Direction
    public var zeekState: ZeekConnState
    public var zeekHistory: String
    public var verdict: Verdict
    /// The originator's first packet was not a SYN: the connection began before the capture did.
    public var startedBeforeCapture: Bool
    /// The first RST, if any.
    public var firstReset: ResetFacts?
    /// What the originator's (client's) and the responder's (server's) applications most likely saw.
    public var originatorError: ApplicationError?
    public var responderError: ApplicationError?

    /// Duration in nanoseconds.
    public var duration: Int64 { self.end - self.start }
}

extension ConnectionRecord {
    /// Builds the record of a tracked connection and classifies it.
    init(_ connection: borrowing TrackedConnection) {
        let originatorIsFirst = connection.zeek.originatorIsFirstSender
        let originator = originatorIsFirst ? connection.firstSide : connection.otherSide
        let responder = originatorIsFirst ? connection.otherSide : connection.firstSide
        var reset = connection.firstReset.map { bySide in
            var facts = bySide.facts
            facts.fromOriginator = bySide.fromFirstSender == originatorIsFirst
            return facts
        }
        if var facts = reset, facts.senderUsualHopLimit == nil {
            // The sender's usual TTL may only have become known after its RST (a RST as its first packet).
            let sender = facts.fromOriginator ? originator : responder
            if sender.hasHopLimit && !sender.hopLimitVaries { facts.senderUsualHopLimit = sender.hopLimit }
            reset = facts
        }
        let reason: OriginReason
        if connection.firstFlags.contains(.syn) && !connection.firstFlags.contains(.ack) && originatorIsFirst {
            reason = .synSeen
        } else if connection.firstFlags.contains(.syn) && connection.firstFlags.contains(.ack) && !originatorIsFirst {
            reason = .synAckSeen
        } else if connection.zeek.flipped {
            reason = .portHeuristic
        } else {
            reason = .firstPacket
        }
        self.init(
            id: connection.id,
            originator: originatorIsFirst ? connection.firstSender : connection.firstReceiver,
            responder: originatorIsFirst ? connection.firstReceiver : connection.firstSender,
            originReason: reason,
            start: connection.start,
            end: connection.end,
            fromOriginator: Direction(
                packets: originator.packets, payloadBytes: originator.payloadBytes, ipBytes: originator.ipBytes,
                zeekBytes: Int(clamping: connection.zeek.originatorBytes), retransmissions: Int(originator.retransmissions)
            ),
            fromResponder: Direction(
                packets: responder.packets, payloadBytes: responder.payloadBytes, ipBytes: responder.ipBytes,
                zeekBytes: Int(clamping: connection.zeek.responderBytes), retransmissions: Int(responder.retransmissions)
            ),
            zeekState: connection.zeek.state,
            zeekHistory: connection.zeek.history,
            verdict: .stillOpen,
            startedBeforeCapture: originator.synCount == 0,
            firstReset: reset,
            originatorError: nil,
            responderError: nil
        )
        self.verdict = Self.classify(originator: originator, responder: responder, reset: reset)
        (self.originatorError, self.responderError) = Self.errors(for: self.verdict)
    }

    /// The verdict, most specific pattern first.
    static func classify(originator: SideState, responder: SideState, reset: ResetFacts?) -> Verdict {
        if let reset {
            let byServer = !reset.fromOriginator
            if byServer && originator.synCount > 0 && !responder.sentSynAck && responder.packets == Int(responder.resetCount) {
                return .refused
            }
            if let originatorFin = originator.finAt, let responderFin = responder.finAt,
                originatorFin <= reset.timestamp, responderFin <= reset.timestamp
            {
                return .cleanClose
            }
            if reset.senderFinnedBefore && reset.receiverBytesAfterSenderFin > 0 {
                return .finThenReset(byServer: byServer)
            }
            if reset.senderRetransmissionsBefore >= 2 {
                return .retransmissionsThenReset(byServer: byServer, retransmissions: reset.senderRetransmissionsBefore)
            }
            if reset.bytesInFlight > 0 {
                return .resetMidTransfer(byServer: byServer, bytesInFlight: reset.bytesInFlight)
            }
            if reset.idleBefore >= 1_000_000_000 {
                return .resetAfterIdle(byServer: byServer, seconds: Double(reset.idleBefore) / 1e9)
            }
            return byServer ? .resetByServer : .resetByClient
        }
        if originator.synCount > 0 && !responder.sentSynAck && responder.packets == 0 {
            return .synUnanswered(retries: Int(originator.synCount) - 1)
        }
        if originator.finAt != nil && responder.finAt != nil {
            return .cleanClose
        }
        if responder.bytesAfterPeerFin > 0 { return .dataAfterPeerFin(byServer: true) }
        if originator.bytesAfterPeerFin > 0 { return .dataAfterPeerFin(byServer: false) }
        return .stillOpen
    }

    /// What each side's application most likely got: (originator, responder).
    static func errors(for verdict: Verdict) -> (ApplicationError?, ApplicationError?) {
        switch verdict {
        case .refused: (.refused, nil)
        case .synUnanswered: (.timedOut, nil)
        case .finThenReset(let byServer): byServer ? (.abortedAfterPeerClose, nil) : (nil, .abortedAfterPeerClose)
        case .retransmissionsThenReset(let byServer, _): byServer ? (.reset, .timedOut) : (.timedOut, .reset)
        case .resetByServer: (.reset, nil)
        case .resetByClient: (nil, .reset)
        case .resetMidTransfer(let byServer, _), .resetAfterIdle(let byServer, _): byServer ? (.reset, nil) : (nil, .reset)
        case .cleanClose, .dataAfterPeerFin, .stillOpen: (nil, nil)
        }
    }
}
