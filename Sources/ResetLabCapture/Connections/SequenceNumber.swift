/// Comparisons of 32-bit TCP sequence numbers that wrap around (RFC 1982 serial arithmetic).
enum SequenceNumber {
    /// Whether `a` comes after `b`.
    @inlinable static func after(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) > 0 }
    /// `a - b` as a signed distance.
    @inlinable static func distance(from b: UInt32, to a: UInt32) -> Int { Int(Int32(bitPattern: a &- b)) }
}
