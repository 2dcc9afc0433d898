/// How long to wait before connecting again, in the manner of gRPC's connection-backoff: each failed
/// attempt multiplies the delay by ``Parameters/multiplier`` up to ``Parameters/maximum``, and every delay
/// is spread by ±``Parameters/jitter`` of itself so that clients cut off together do not come back
/// together. A successful handshake (not a mere TCP connect) starts again from ``Parameters/initial``.
public struct ConnectionBackoff: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// The first delay, in seconds. Default 0.01.
        public var initial: Double
        /// The factor between one delay and the next. Default 1.6 (gRPC's).
        public var multiplier: Double
        /// The spread of each delay, as a fraction of it. Default 0.2 (gRPC's).
        public var jitter: Double
        /// The longest delay, in seconds. Default 0.08: a server that is back is reached within 0.1 s.
        /// Raise it for fleets of many clients.
        public var maximum: Double
        /// The least time one connection attempt is given, in seconds. Default 2.
        public var minimumConnectTimeout: Double

        public init(initial: Double = 0.01, multiplier: Double = 1.6, jitter: Double = 0.2, maximum: Double = 0.08, minimumConnectTimeout: Double = 2) {
            self.initial = max(0.001, initial)
            self.multiplier = max(1, multiplier)
            self.jitter = min(max(0, jitter), 1)
            self.maximum = max(self.initial, maximum)
            self.minimumConnectTimeout = max(0.01, minimumConnectTimeout)
        }
    }

    public let parameters: Parameters
    private var current: Double

    public init(_ parameters: Parameters = Parameters()) {
        self.parameters = parameters
        self.current = parameters.initial
    }

    /// The delay before the next attempt, in seconds; the one after will be longer.
    public mutating func nextDelay(using generator: inout some RandomNumberGenerator) -> Double {
        let base = self.current
        self.current = min(self.current * self.parameters.multiplier, self.parameters.maximum)
        let spread = base * self.parameters.jitter
        guard spread > 0 else { return base }
        return max(0, base + Double.random(in: -spread...spread, using: &generator))
    }

    /// A handshake succeeded: the next failure waits ``Parameters/initial`` again.
    public mutating func reset() {
        self.current = self.parameters.initial
    }
}
