/// One side of a connection as Zeek's TCP analyzer follows it: its state, its sequence space (start, the
/// highest sequence number sent, the highest acknowledged by the peer, with 32-bit wraparounds counted)
/// and the counters behind the history letters that repeat on a log scale.
struct ZeekEndpoint: Sendable {
    var state = ZeekEndpointState.inactive
    var previousState = ZeekEndpointState.inactive
    /// The initial sequence number, as a signed 64-bit value.
    var startSequence: Int64 = 0
    /// One past the last sequence number this side sent.
    var lastSequence: UInt32 = 0
    /// The highest acknowledgement the peer sent for this side's data.
    var acknowledgedSequence: UInt32 = 0
    var sequenceWraps: UInt32 = 0
    var acknowledgementWraps: UInt32 = 0
    var finCount = 0
    /// Relative sequence numbers of the last SYN, FIN and RST, so that retransmissions repeat no letter.
    var lastSynSequence: UInt64 = 0
    var lastFinSequence: UInt64 = 0
    var lastResetSequence: UInt64 = 0
    /// Log-scale counters for `t` (retransmission) and `w` (zero window).
    var retransmissions = ScaledCounter()
    var zeroWindows = ScaledCounter()

    /// The start sequence number as the 32-bit value on the wire.
    var startSequence32: UInt32 { UInt32(truncatingIfNeeded: self.startSequence) }

    mutating func setState(_ state: ZeekEndpointState) {
        guard state != self.state else { return }
        self.previousState = self.state
        self.state = state
    }

    mutating func initialize(start: UInt32, last: UInt32) {
        self.startSequence = Int64(start)
        self.acknowledgedSequence = start
        self.lastSequence = last
    }

    mutating func updateLastSequence(_ sequence: UInt32) {
        if sequence < self.lastSequence { self.sequenceWraps &+= 1 }
        self.lastSequence = sequence
    }

    mutating func updateAcknowledgedSequence(_ sequence: UInt32) {
        if sequence < self.acknowledgedSequence { self.acknowledgementWraps &+= 1 }
        self.acknowledgedSequence = sequence
    }

    /// `sequence` relative to the start, in the 64-bit space that counts wraparounds.
    func relative(_ sequence: UInt32, wraps: UInt32) -> UInt64 {
        (UInt64(wraps) << 32 &+ UInt64(sequence)) &- UInt64(bitPattern: self.startSequence)
    }

    /// Zeek's `get_relative_seq`: `sequence` relative to the start, judging from `last` whether it belongs
    /// to the previous or the next 32-bit wrap. `underflow` is set when it lies before the start.
    func relativeSequence(_ sequence: UInt32, last: UInt32, wraps initialWraps: UInt32, underflow: inout Bool) -> UInt64 {
        var wraps = initialWraps
        let delta = ZeekEndpoint.delta(sequence, last)
        if delta < 0 {
            if wraps > 0 && sequence > last { wraps -= 1 }
        } else if delta > 0 {
            if sequence < last { wraps &+= 1 }
        }
        if wraps == 0 {
            let fromStart = ZeekEndpoint.delta(sequence, self.startSequence32)
            if fromStart < 0 { underflow = true }
            return UInt64(bitPattern: Int64(fromStart))
        }
        return self.relative(sequence, wraps: wraps)
    }

    /// Whether none of this side's data was acknowledged (one octet is allowed, for the SYN).
    var noDataAcknowledged: Bool {
        let acknowledged = UInt64(self.acknowledgementWraps) << 32 &+ UInt64(self.acknowledgedSequence)
        let start = UInt64(bitPattern: self.startSequence)
        return acknowledged == start || acknowledged == start &+ 1
    }

    /// Zeek's `Size()`: the sequence space this side used, without its SYN and FIN (what `orig_bytes` and
    /// `resp_bytes` report). Needs the peer's state for one case: a half-open connection found and aborted.
    func size(peerState: ZeekEndpointState) -> UInt64 {
        if self.previousState == .synSent && self.state == .reset && peerState == .inactive && !self.noDataAcknowledged {
            return 0
        }
        let last = UInt64(self.sequenceWraps) << 32 &+ UInt64(self.lastSequence)
        let acknowledged = UInt64(self.acknowledgementWraps) << 32 &+ UInt64(self.acknowledgedSequence)
        var size = max(last, acknowledged) &- UInt64(bitPattern: self.startSequence)
        if size != 0 { size -= 1 }  // the SYN's octet
        if self.finCount > 0 && size != 0 { size -= 1 }  // the FIN's octet
        return size
    }

    /// Signed distance between two 32-bit sequence numbers (Zeek's `seq_delta`).
    static func delta(_ a: UInt32, _ b: UInt32) -> Int32 {
        Int32(bitPattern: a &- b)
    }
}

/// Zeek's `ScaledHistoryEntry`: a letter recorded at the 1st, 10th, 100th ... occurrence.
struct ScaledCounter: Sendable {
    private var count: UInt32 = 0
    private var threshold: UInt32 = 1

    /// Counts one occurrence; `true` when this one is recorded in the history.
    mutating func occurred() -> Bool {
        self.count &+= 1
        guard self.count == self.threshold else { return false }
        let (next, overflow) = self.threshold.multipliedReportingOverflow(by: 10)
        if overflow { self.count = 0 } else { self.threshold = next }
        return true
    }
}
