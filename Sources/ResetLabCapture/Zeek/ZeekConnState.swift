/// Zeek's `conn_state`: how a TCP connection looked when it was logged, from both endpoints' final states.
/// The codes and their meanings are Zeek's (`base/protocols/conn/main.zeek`).
public enum ZeekConnState: String, Sendable, Hashable, CaseIterable {
    /// Connection attempt seen, no reply.
    case s0 = "S0"
    /// Connection established, not terminated.
    case s1 = "S1"
    /// Normal establishment and termination.
    case sf = "SF"
    /// Connection attempt rejected.
    case rej = "REJ"
    /// Established, and the originator tried to close; no reply from the responder.
    case s2 = "S2"
    /// Established, and the responder tried to close; no reply from the originator.
    case s3 = "S3"
    /// Established, then the originator aborted (sent a RST).
    case rsto = "RSTO"
    /// The responder sent a RST.
    case rstr = "RSTR"
    /// The originator sent a SYN then a RST; no SYN-ACK from the responder was seen.
    case rstos0 = "RSTOS0"
    /// The responder sent a SYN-ACK then a RST; no SYN from the (purported) originator was seen.
    case rstrh = "RSTRH"
    /// The originator sent a SYN then a FIN; no SYN-ACK from the responder ("half" open).
    case sh = "SH"
    /// The responder sent a SYN-ACK then a FIN; no SYN from the originator.
    case shr = "SHR"
    /// No SYN seen, just midstream traffic (a partial connection that was not later closed).
    case oth = "OTH"

    /// Zeek's one-line meaning.
    public var meaning: String {
        switch self {
        case .s0: "connection attempt seen, no reply"
        case .s1: "connection established, not terminated"
        case .sf: "normal establishment and termination"
        case .rej: "connection attempt rejected"
        case .s2: "established, originator tried to close, no reply from the responder"
        case .s3: "established, responder tried to close, no reply from the originator"
        case .rsto: "established, originator aborted (sent a RST)"
        case .rstr: "responder sent a RST"
        case .rstos0: "originator sent a SYN then a RST, no SYN-ACK seen"
        case .rstrh: "responder sent a SYN-ACK then a RST, no SYN from the originator seen"
        case .sh: "originator sent a SYN then a FIN, no SYN-ACK seen"
        case .shr: "responder sent a SYN-ACK then a FIN, no SYN from the originator seen"
        case .oth: "no SYN seen, just midstream traffic"
        }
    }

    /// Zeek's decision list (`function conn_state`), in its order: resets first, then FINs, then the rest.
    /// "Inactive" means nothing but midstream traffic was seen from that side (INACTIVE or PARTIAL).
    static func classify(
        originator: ZeekEndpointState, responder: ZeekEndpointState, originatorSize: UInt64, responderSize: UInt64,
        history: String
    ) -> ZeekConnState {
        let originatorInactive = originator == .inactive || originator == .partial
        let responderInactive = responder == .inactive || responder == .partial
        if responder == .reset {
            if originator == .synSent || originator == .synAckSent
                || (originator == .reset && originatorSize == 0 && responderSize == 0)
            {
                return .rej
            }
            return originatorInactive ? .rstrh : .rstr
        }
        if originator == .reset {
            guard responderInactive else { return .rsto }
            return Self.looksLikeSynThenReset(history) ? .rstos0 : .oth
        }
        if responder == .closed && originator == .closed { return .sf }
        if originator == .closed { return responderInactive ? .sh : .s2 }
        if responder == .closed { return originatorInactive ? .shr : .s3 }
        if originator == .synSent && responder == .inactive { return .s0 }
        if originator == .established && responder == .established { return .s1 }
        return .oth
    }

    /// Zeek's pattern `^\^?S[^HAFGIQ]*R.*`: an optional flip mark, the originator's SYN, no handshake,
    /// ACK, FIN, gap, inconsistency or multi-flag packet from the originator, then its RST.
    static func looksLikeSynThenReset(_ history: String) -> Bool {
        var letters = history.utf8.makeIterator()
        var letter = letters.next()
        if letter == UInt8(ascii: "^") { letter = letters.next() }
        guard letter == UInt8(ascii: "S") else { return false }
        while let next = letters.next() {
            switch next {
            case UInt8(ascii: "R"): return true
            case UInt8(ascii: "H"), UInt8(ascii: "A"), UInt8(ascii: "F"), UInt8(ascii: "G"), UInt8(ascii: "I"),
                UInt8(ascii: "Q"):
                return false
            default: continue
            }
        }
        return false
    }
}
