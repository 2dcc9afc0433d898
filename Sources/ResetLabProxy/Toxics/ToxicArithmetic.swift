/// Overflow-safe time arithmetic for the toxics.
///
/// Attributes come from the control API as any non-negative `Int64`, so `latency * 1_000_000` can overflow.
/// Swift traps on overflow; a toxic must never crash the proxy, so every conversion here saturates at
/// `Int64.max` nanoseconds (about 292 years: "never" for a proxy).
enum ToxicArithmetic {
    /// `lhs + rhs`, clamped to `Int64.min...Int64.max`.
    static func add(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard overflow else { return sum }
        return rhs > 0 ? Int64.max : Int64.min
    }

    /// `value * factor` for non-negative operands, clamped to `Int64.max`.
    static func multiply(_ value: Int64, _ factor: Int64) -> Int64 {
        let (product, overflow) = max(value, 0).multipliedReportingOverflow(by: max(factor, 0))
        return overflow ? Int64.max : product
    }

    /// Milliseconds as nanoseconds, saturating.
    static func nanoseconds(milliseconds: Int64) -> Int64 {
        self.multiply(milliseconds, 1_000_000)
    }

    /// Microseconds as nanoseconds, saturating.
    static func nanoseconds(microseconds: Int64) -> Int64 {
        self.multiply(microseconds, 1_000)
    }

    /// `ceil(value * factor / divisor)` for non-negative `value`, positive `factor` and `divisor`, computed
    /// exactly with a 128-bit intermediate and clamped to `Int64.max`.
    static func multiplyDivideRoundingUp(_ value: Int64, _ factor: Int64, _ divisor: Int64) -> Int64 {
        guard value > 0, factor > 0, divisor > 0 else { return 0 }
        let product = UInt64(value).multipliedFullWidth(by: UInt64(factor))
        guard product.high < UInt64(divisor) else { return Int64.max }
        let (quotient, remainder) = UInt64(divisor).dividingFullWidth(product)
        guard quotient < UInt64(Int64.max) else { return Int64.max }
        return Int64(remainder > 0 ? quotient + 1 : quotient)
    }
}

extension ProxyInstant {
    /// This instant plus some nanoseconds, saturating instead of wrapping.
    func saturatingAdding(nanoseconds: Int64) -> ProxyInstant {
        ProxyInstant(nanoseconds: ToxicArithmetic.add(self.nanoseconds, nanoseconds))
    }

    /// This instant plus some milliseconds, saturating instead of wrapping.
    func saturatingAdding(milliseconds: Int64) -> ProxyInstant {
        self.saturatingAdding(nanoseconds: ToxicArithmetic.nanoseconds(milliseconds: milliseconds))
    }
}
