/// What a pcapng Interface Description Block says about the frames captured on one interface.
struct PcapngInterface: Sendable, Hashable {
    var linkType: LinkType
    /// The most bytes kept per frame; 0 means no limit.
    var snapLength: UInt32
    /// How timestamps on this interface count time (`if_tsresol`; microseconds when absent).
    var resolution: PcapngTimestampResolution
    /// Seconds to add to every timestamp (`if_tsoffset`), already in nanoseconds.
    var offsetNanoseconds: Int64

    init(linkType: LinkType, snapLength: UInt32, resolution: PcapngTimestampResolution = .microseconds, offsetSeconds: Int64 = 0) {
        self.linkType = linkType
        self.snapLength = snapLength
        self.resolution = resolution
        let (product, overflow) = offsetSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        self.offsetNanoseconds = overflow ? (offsetSeconds < 0 ? .min : .max) : product
    }

    /// A packet block's 64-bit timestamp in nanoseconds since the epoch, saturating at the ends of Int64.
    @inline(__always)
    func nanoseconds(ticks: UInt64) -> Int64 {
        let scaled = self.resolution.nanoseconds(ticks: ticks)
        let (sum, overflow) = scaled.addingReportingOverflow(self.offsetNanoseconds)
        guard overflow else { return sum }
        return self.offsetNanoseconds < 0 ? .min : .max
    }
}

/// The unit of a pcapng interface's timestamps: 10^-n or 2^-n seconds (the `if_tsresol` option), kept as
/// the arithmetic that turns a count of such units into nanoseconds.
enum PcapngTimestampResolution: Sendable, Hashable {
    /// Multiply by this to get nanoseconds (units of 10^-n s with n ≤ 9).
    case multiply(UInt64)
    /// Divide by this (units of 10^-n s with 9 < n ≤ 28).
    case divide(UInt64)
    /// Multiply by 10^9, then shift right by this (units of 2^-n s).
    case binary(shift: Int)
    /// Units too small to reach a nanosecond in 64 bits (10^-n s with n > 28): always 0.
    case belowNanosecond

    /// The default resolution, 10^-6 s.
    static let microseconds = PcapngTimestampResolution.multiply(1000)

    /// The resolution an `if_tsresol` byte gives: the high bit picks base 2 over base 10, the low 7 bits are
    /// the negative exponent.
    init(optionValue value: UInt8) {
        let exponent = Int(value & 0x7f)
        if value & 0x80 != 0 {
            self = .binary(shift: exponent)
        } else if exponent <= 9 {
            self = .multiply(Self.powerOfTen(9 - exponent))
        } else if exponent - 9 <= 19 {
            self = .divide(Self.powerOfTen(exponent - 9))
        } else {
            self = .belowNanosecond
        }
    }

    /// `ticks` of this unit in nanoseconds, saturating at Int64.max.
    @inline(__always)
    func nanoseconds(ticks: UInt64) -> Int64 {
        switch self {
        case .multiply(let factor):
            let (product, overflow) = ticks.multipliedReportingOverflow(by: factor)
            return overflow ? .max : Int64(clamping: product)
        case .divide(let divisor):
            return Int64(clamping: ticks / divisor)
        case .binary(let shift):
            // ticks * 10^9 / 2^shift on the 128-bit product, so that no precision is lost on the way.
            let (high, low) = ticks.multipliedFullWidth(by: 1_000_000_000)
            if shift == 0 {
                return high == 0 ? Int64(clamping: low) : .max
            } else if shift < 64 {
                guard high >> UInt64(shift) == 0 else { return .max }
                return Int64(clamping: high << UInt64(64 - shift) | low >> UInt64(shift))
            } else {
                return Int64(clamping: high >> UInt64(shift - 64))
            }
        case .belowNanosecond:
            return 0
        }
    }

    private static func powerOfTen(_ exponent: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<exponent { value &*= 10 }
        return value
    }
}
