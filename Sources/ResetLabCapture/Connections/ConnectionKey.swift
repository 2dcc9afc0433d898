/// A connection's 4-tuple, the same for both directions: the lower endpoint first. Loopback connections,
/// where both addresses are equal, are told apart by their ports.
struct ConnectionKey: Hashable, Sendable {
    var lower: Endpoint
    var upper: Endpoint

    @inlinable
    init(_ segment: TCPSegment) {
        let source = segment.sourceEndpoint
        let destination = segment.destinationEndpoint
        if source < destination {
            self.lower = source
            self.upper = destination
        } else {
            self.lower = destination
            self.upper = source
        }
    }

    init(lower: Endpoint, upper: Endpoint) {
        self.lower = lower
        self.upper = upper
    }

    /// A cheap, well-mixed 32-bit hash of every field (multiply and fold, as in wyhash), for
    /// ``ConnectionIndex``.
    @inline(__always)
    var fastHash: UInt32 {
        let ports = UInt64(self.lower.port) << 16 | UInt64(self.upper.port)
        let a = Self.mix(self.lower.address.low ^ 0xa076_1d64_78bd_642f, self.upper.address.low ^ 0xe703_7ed1_a0b4_28db)
        let b = Self.mix(self.lower.address.high ^ ports, self.upper.address.high ^ 0x8ebc_6af0_9c88_c6e3)
        let folded = Self.mix(a ^ 0x5899_65cc_7537_4cc3, b)
        return UInt32(truncatingIfNeeded: folded ^ folded >> 32)
    }

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}
