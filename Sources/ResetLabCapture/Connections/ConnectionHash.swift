/// The hash a connection is indexed by in ``ConnectionIndex``: the same for both directions of a
/// connection, without ordering its two ends first. Loopback connections, whose two addresses are equal,
/// differ by their ports.
enum ConnectionHash {
    /// A well-mixed 32-bit hash of a connection's two ends, in either order.
    @inline(__always)
    static func of(_ a: Endpoint, _ b: Endpoint) -> UInt32 {
        // Each end is mixed alone (multiply and fold, as in wyhash) and the two are added: addition does
        // not care about order, and the sum of two well-mixed values is itself well mixed.
        let sum = Self.mix(a) &+ Self.mix(b)
        return UInt32(truncatingIfNeeded: sum ^ sum >> 32)
    }

    @inline(__always)
    private static func mix(_ endpoint: Endpoint) -> UInt64 {
        let low = endpoint.address.low ^ 0xa076_1d64_78bd_642f
        let high = endpoint.address.high ^ UInt64(endpoint.port) << 1 ^ 0xe703_7ed1_a0b4_28db
        let product = low.multipliedFullWidth(by: high)
        return product.high ^ product.low
    }
}
