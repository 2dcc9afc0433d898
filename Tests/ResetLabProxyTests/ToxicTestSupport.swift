@testable import ResetLabProxy

/// An instant some milliseconds after zero.
func ms(_ milliseconds: Int64) -> ProxyInstant {
    ProxyInstant.zero.adding(milliseconds: milliseconds)
}

/// An instant some nanoseconds after zero.
func ns(_ nanoseconds: Int64) -> ProxyInstant {
    ProxyInstant(nanoseconds: nanoseconds)
}

/// `count` bytes counting up from `start` (wrapping), so cuts are visible in the contents.
func bytes(_ count: Int, from start: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: start + $0) }
}

extension FaultAction {
    /// The bytes and instant of a `.forward`, nil for any other action.
    var forwarded: (bytes: [UInt8], at: ProxyInstant)? {
        if case .forward(let bytes, let at) = self { return (bytes, at) }
        return nil
    }
}

extension Array where Element == FaultAction {
    /// The instants of the `.forward` actions, in order.
    var forwardInstants: [ProxyInstant] { self.compactMap { $0.forwarded?.at } }
    /// All forwarded bytes, concatenated.
    var forwardedBytes: [UInt8] { self.flatMap { $0.forwarded?.bytes ?? [] } }
}

extension Array where Element: Comparable {
    /// Whether no element is smaller than the one before.
    var isNonDecreasing: Bool { zip(self, self.dropFirst()).allSatisfy { $0 <= $1 } }
}
