/// The idle periods that `--idle` tests at once, one connection each: a geometric ladder, so that the
/// first connection to die brackets the timeout within one step (±10 % at ratio 1.2), found soon after
/// the timeout itself instead of after a search of several rounds.
public struct IdleLadder: Sendable, Hashable {
    /// Idle periods in seconds, shortest first.
    public let periods: [Double]

    /// - Parameters:
    ///   - shortest: The first idle period tested, in seconds.
    ///   - longest: Periods stop at the first one reaching this.
    ///   - ratio: Each period is this many times the previous one.
    ///   - connections: At most this many periods.
    public init(shortest: Double = 1, longest: Double, ratio: Double = 1.2, connections: Int) {
        var periods: [Double] = []
        var period = max(shortest, 0.1)
        while periods.count < max(connections, 1) {
            periods.append(period)
            if period >= longest { break }
            period = min(period * ratio, longest)
        }
        self.periods = periods
    }

    /// What the results say: the longest period that survived and the shortest that died (nil when none).
    public static func bracket(survived: [Double], died: [Double]) -> (above: Double?, below: Double?) {
        let shortestDead = died.min()
        let longestAlive = survived.filter { period in shortestDead.map { period < $0 } ?? true }.max()
        return (longestAlive, shortestDead)
    }
}
