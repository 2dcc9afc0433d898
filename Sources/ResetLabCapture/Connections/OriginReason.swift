/// Why ResetLab (like Zeek) believes one side originated the connection.
public enum OriginReason: String, Sendable, Hashable {
    /// Its SYN was seen.
    case synSeen = "SYN seen"
    /// The other side's SYN-ACK was seen (the SYN itself was before the capture).
    case synAckSeen = "SYN-ACK seen"
    /// Mid-stream: the other side uses a well-known server port.
    case portHeuristic = "port heuristic"
    /// Mid-stream, no better clue: it sent the first packet seen.
    case firstPacket = "first packet"
}
