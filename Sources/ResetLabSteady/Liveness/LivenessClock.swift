/// Decides when to send a heartbeat and when a silent peer counts as dead. A value with no I/O: the caller
/// tells it when frames went out and came in, and asks it at ``nextCheck(now:)``.
///
/// Any frame from the peer proves it alive, including a peer whose kernel still answers TCP but whose
/// process is stuck: such a peer sends nothing, so it is declared dead after ``Parameters/deadAfter``.
public struct LivenessClock: Sendable, Equatable {
    public struct Parameters: Sendable, Equatable {
        /// Send a heartbeat when nothing else was sent for this long, in seconds. Default 2.
        public var heartbeatInterval: Double
        /// Declare the peer dead when nothing came from it for this long, in seconds. Default 10.
        public var deadAfter: Double

        public init(heartbeatInterval: Double = 2, deadAfter: Double = 10) {
            self.deadAfter = max(0.05, deadAfter)
            self.heartbeatInterval = min(max(0.01, heartbeatInterval), self.deadAfter / 2)
        }
    }

    /// What to do now.
    public enum Action: Equatable, Sendable {
        case none
        case sendHeartbeat
        /// Nothing came for `silence` seconds: the connection is dead.
        case declareDead(silence: Double)
    }

    public let parameters: Parameters
    private var lastHeard: Double
    private var lastSent: Double

    public init(_ parameters: Parameters = Parameters(), now: Double) {
        self.parameters = parameters
        self.lastHeard = now
        self.lastSent = now
    }

    public mutating func heard(at now: Double) { self.lastHeard = max(self.lastHeard, now) }
    public mutating func sent(at now: Double) { self.lastSent = max(self.lastSent, now) }

    /// The action due at `now`. A heartbeat counts as sent once this returns ``Action/sendHeartbeat``.
    public mutating func check(now: Double) -> Action {
        let silence = now - self.lastHeard
        if silence >= self.parameters.deadAfter { return .declareDead(silence: silence) }
        if now - self.lastSent >= self.parameters.heartbeatInterval {
            self.lastSent = now
            return .sendHeartbeat
        }
        return .none
    }

    /// When ``check(now:)`` should next be called.
    public func nextCheck(now: Double) -> Double {
        min(self.lastHeard + self.parameters.deadAfter, self.lastSent + self.parameters.heartbeatInterval)
    }
}
