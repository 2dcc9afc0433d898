import ResetLabSteady

/// Something that happened to a session's connection, for logs and dashboards. Messages are never lost
/// or repeated because of these: they say why there was a pause.
public enum SteadyEvent: Sendable, Equatable, CustomStringConvertible {
    /// A connection is up and the handshake done. `resumed`: the peer knew the session.
    case connected(peerEpoch: UInt64, resumed: Bool)
    /// The connection ended, and why.
    case disconnected(SteadyError)
    /// The next connection attempt starts after this many seconds.
    case reconnecting(after: Double)
    /// The peer's process is not the one of the previous connection. `keptState`: it had a journal (or
    /// the session in memory) and nothing is repeated; otherwise messages it had delivered but not yet
    /// acknowledged may be delivered again (`mayRepeat`, by sequence number).
    case peerRestarted(keptState: Bool, mayRepeat: ClosedRange<UInt64>?)

    public var description: String {
        switch self {
        case .connected(let epoch, let resumed): "connected (peer epoch \(epoch), session \(resumed ? "resumed" : "new"))"
        case .disconnected(let error): "disconnected: \(error)"
        case .reconnecting(let delay): "reconnecting in \(Int((delay * 1000).rounded())) ms"
        case .peerRestarted(let kept, let repeats):
            kept ? "the peer restarted and kept the session (journal)"
                : "the peer restarted without its state" + (repeats.map { ": messages \($0.lowerBound)...\($0.upperBound) may be delivered twice" } ?? "")
        }
    }
}
