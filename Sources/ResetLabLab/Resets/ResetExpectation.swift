import ResetLabWatch

/// A RST a scenario makes one side send, and why, as a check on the kernel's own account.
///
/// A scenario lists every RST it causes, in order. Running it with the TCP tracepoints checks that the
/// kernel sent each one for the reason declared here: this is how each reason's meaning in ``ResetReason`` is
/// verified by a scenario that makes the kernel emit it.
public struct ResetExpectation: Sendable, Hashable, CustomStringConvertible {
    /// Who is expected to send it.
    public enum Origin: Sendable, Hashable {
        /// The side's kernel, for this reason.
        case kernel(ResetReason)
        /// No socket: a firewall rule forges it in the side's name.
        case notFromASocket
    }

    public var from: LabActor
    public var origin: Origin
    /// Other reasons the kernel may give for the same RST, when which one depends on a race inside the
    /// kernel that the scenario cannot decide (each is said in the scenario's summary).
    public var otherReasons: [ResetReason]

    public init(_ from: LabActor, _ origin: Origin, otherReasons: [ResetReason] = []) {
        self.from = from
        self.origin = origin
        self.otherReasons = otherReasons
    }

    /// The side's kernel sends a RST for `reason`, or for one of `otherReasons`.
    public static func kernel(_ from: LabActor, _ reason: ResetReason, or otherReasons: ResetReason...) -> ResetExpectation {
        ResetExpectation(from, .kernel(reason), otherReasons: otherReasons)
    }

    /// A RST appears in the side's name that no socket sent (a firewall's forged RST).
    public static func notFromASocket(_ from: LabActor) -> ResetExpectation {
        ResetExpectation(from, .notFromASocket)
    }

    /// Whether an observed RST is this one. A kernel that gives no reason (before 6.10) meets any reason.
    public func isMet(by reset: LabReset) -> Bool {
        guard reset.from == self.from else { return false }
        switch (self.origin, reset.origin) {
        case (.kernel(let expected), .kernel(let reason, _)):
            return reason.map { $0 == expected || self.otherReasons.contains($0) } ?? true
        case (.notFromASocket, .notFromASocket): return true
        default: return false
        }
    }

    public var description: String {
        switch self.origin {
        case .kernel(let reason):
            "\(self.from.rawValue) kernel RST, reason \(([reason] + self.otherReasons).map(\.name).joined(separator: " or "))"
        case .notFromASocket: "RST in the \(self.from.rawValue)'s name, sent by no socket"
        }
    }
}
