/// A point in time, in nanoseconds on a monotonic clock. Faults never read a clock themselves: the proxy
/// passes the current instant with every event, so tests can drive time by hand.
public struct ProxyInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = ProxyInstant(nanoseconds: 0)

    /// This instant plus some milliseconds.
    public func adding(milliseconds: Int64) -> ProxyInstant {
        ProxyInstant(nanoseconds: self.nanoseconds &+ milliseconds &* 1_000_000)
    }

    /// This instant plus some nanoseconds.
    public func adding(nanoseconds: Int64) -> ProxyInstant {
        ProxyInstant(nanoseconds: self.nanoseconds &+ nanoseconds)
    }

    public static func < (lhs: ProxyInstant, rhs: ProxyInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    public var description: String { "\(Double(self.nanoseconds) / 1e6) ms" }
}
