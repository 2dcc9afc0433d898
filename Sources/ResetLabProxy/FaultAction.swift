/// What a toxic tells the proxy to do. Toxics decide; the proxy's glue only carries decisions out.
public enum FaultAction: Sendable, Hashable {
    /// Hand these bytes to the next stage of the toxic's stream (or to the far socket) at this instant.
    /// Instants a toxic returns never go backwards, so the stream's order is kept.
    case forward([UInt8], at: ProxyInstant)
    /// End the toxic's stream at this instant: the far side gets FIN once everything before has been
    /// delivered. The other direction keeps flowing (half-close).
    case endStream(at: ProxyInstant)
    /// End the other direction's stream at this instant (FIN towards the side that sends the toxic's data).
    case endOppositeStream(at: ProxyInstant)
    /// Close the whole connection in both directions with FIN at this instant.
    case closeConnection(at: ProxyInstant)
    /// Abort the whole connection at this instant: RST to the client and to the upstream
    /// (SO_LINGER {1, 0}, then close).
    case resetConnection(at: ProxyInstant)
    /// From now on discard everything in both directions and never close: a middlebox that forgot the
    /// connection.
    case blackholeConnection
    /// Call ``ToxicStage/timerFired(now:)`` at this instant.
    case wake(at: ProxyInstant)
}
