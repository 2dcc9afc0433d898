/// Toxiproxy's `bandwidth`: the stream is limited to `rate` KB/s (1 KB = 1000 B, so `rate` bytes per ms).
///
/// The stage models a link that is busy while bytes are on it. A chunk starts when the link is free (or
/// when it arrives, if later); chunks larger than 100 ms of data are cut into 100 ms slices, and every
/// piece is forwarded at the instant its last byte would have left. Instants are computed in integer
/// nanoseconds from the total bytes sent since the link last became busy, so rounding never accumulates.
///
/// Differences from Toxiproxy:
/// - `rate` = 0 stalls the stream forever, as in Toxiproxy, but the held bytes are discarded (only
///   counted in ``heldByteCount``) rather than buffered, and the sender is never slowed down by
///   back-pressure. The end of the stream is held as well: the far side never sees FIN.
/// - A negative rate (which panics Toxiproxy's server) is treated as 0.
/// - Toxiproxy sleeps `len/rate` per chunk with millisecond-scale timer drift; this stage is exact.
public struct BandwidthToxic: ToxicStage {
    /// The link's rate in KB/s, which is also bytes per millisecond.
    public let rate: Int64
    /// Bytes received while stalled (`rate` = 0), never forwarded.
    public private(set) var heldByteCount: Int64 = 0
    /// The instant the link last became busy.
    private var busySince = ProxyInstant.zero
    /// Bytes put on the link since ``busySince``.
    private var bytesSinceBusy: Int64 = 0
    /// The instant the last byte put on the link leaves it.
    private var freeAt = ProxyInstant.zero

    public init(rate: Int64) {
        self.rate = max(rate, 0)
    }

    /// The largest slice: 100 ms worth of bytes.
    private var sliceSize: Int {
        Int(clamping: ToxicArithmetic.multiply(self.rate, 100))
    }

    public mutating func received(_ bytes: [UInt8], now: ProxyInstant) -> [FaultAction] {
        guard self.rate > 0 else {
            self.heldByteCount = ToxicArithmetic.add(self.heldByteCount, Int64(bytes.count))
            return []
        }
        if now > self.freeAt {
            self.busySince = now
            self.bytesSinceBusy = 0
            self.freeAt = now
        }
        var actions: [FaultAction] = []
        var start = bytes.startIndex
        repeat {
            let end = bytes.index(start, offsetBy: min(self.sliceSize, bytes.endIndex - start))
            self.bytesSinceBusy = ToxicArithmetic.add(self.bytesSinceBusy, Int64(end - start))
            let elapsed = ToxicArithmetic.multiplyDivideRoundingUp(self.bytesSinceBusy, 1_000_000, self.rate)
            self.freeAt = max(self.freeAt, self.busySince.saturatingAdding(nanoseconds: elapsed))
            actions.append(.forward(Array(bytes[start..<end]), at: self.freeAt))
            start = end
        } while start < bytes.endIndex
        return actions
    }

    public mutating func endOfStream(now: ProxyInstant) -> [FaultAction] {
        guard self.rate > 0 else { return [] }
        return [.endStream(at: max(now, self.freeAt))]
    }
}
