/// Zeek's `history` string as it grows: one letter per kind of packet, upper case for the originator and
/// lower case for the responder, with Zeek's repetition rules (once per side for `A D I Q`, again only
/// at a new sequence number for `S H F R`, at the 1st, 10th, 100th ... time for `T W`).
struct ZeekHistory: Sendable {
    private(set) var text = ""
    /// Which once-only kinds each side has recorded: the originator's in the low 16 bits. Like Zeek's
    /// `hist_seen`, it stays put when roles flip.
    private var seen: UInt32 = 0

    /// The kinds of packet whose first occurrence per side is recorded (Zeek's `HIST_*` bits).
    enum Kind: UInt32 {
        case syn = 0x1
        case fin = 0x2
        case reset = 0x4
        case finAndReset = 0x8
        case data = 0x10
        case ack = 0x20
        case multipleFlags = 0x40
    }

    /// Zeek's `update_history` for one segment from `endpoint`.
    mutating func record(
        _ flags: TCPFlags, from endpoint: inout ZeekEndpoint, isOriginator: Bool, relativeSequence: UInt64, length: Int
    ) {
        let syn = flags.contains(.syn)
        let fin = flags.contains(.fin)
        let rst = flags.contains(.rst)
        let controlBits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0)
        if controlBits > 1 {
            self.recordOnce(fin && rst ? .finAndReset : .multipleFlags, fin && rst ? "I" : "Q", isOriginator: isOriginator)
        } else if syn {
            let letter: Unicode.Scalar = flags.contains(.ack) ? "H" : "S"
            if self.recordOnce(.syn, letter, isOriginator: isOriginator) && relativeSequence != endpoint.lastSynSequence {
                self.append(letter, isOriginator: isOriginator)
            }
            endpoint.lastSynSequence = relativeSequence
        } else if fin {
            // A FIN's sequence number is at the end of its data.
            let finSequence = relativeSequence &+ UInt64(length)
            if self.recordOnce(.fin, "F", isOriginator: isOriginator) && finSequence != endpoint.lastFinSequence {
                self.append("F", isOriginator: isOriginator)
            }
            endpoint.lastFinSequence = finSequence
        } else if rst {
            if self.recordOnce(.reset, "R", isOriginator: isOriginator) && relativeSequence != endpoint.lastResetSequence {
                self.append("R", isOriginator: isOriginator)
            }
            endpoint.lastResetSequence = relativeSequence
        } else if length > 0 {
            self.recordOnce(.data, "D", isOriginator: isOriginator)
        } else if flags.contains(.ack) {
            self.recordOnce(.ack, "A", isOriginator: isOriginator)
        }
    }

    /// Zeek's `CheckHistory`: records the letter the first time this side sends this kind of packet and
    /// returns false; returns true, recording nothing, when it was seen before.
    @discardableResult
    mutating func recordOnce(_ kind: Kind, _ letter: Unicode.Scalar, isOriginator: Bool) -> Bool {
        let mask = isOriginator ? kind.rawValue : kind.rawValue << 16
        if self.seen & mask != 0 { return true }
        self.seen |= mask
        self.append(letter, isOriginator: isOriginator)
        return false
    }

    /// Appends an upper-case letter, lowered for the responder.
    mutating func append(_ letter: Unicode.Scalar, isOriginator: Bool) {
        self.text.unicodeScalars.append(isOriginator ? letter : Unicode.Scalar(UInt8(letter.value) | 0x20))
    }

    /// Appends `^`, the mark of swapped roles.
    mutating func appendFlip() {
        self.text.append("^")
    }

    /// Zeek PR #2191: a connection that began with a SYN-ACK and is flipped by the next ACK or data shows
    /// `^h` rather than `H^`.
    mutating func rewriteLeadingSynAckAfterFlip() {
        if self.text == "H" { self.text = "^h" } else { self.appendFlip() }
    }
}
