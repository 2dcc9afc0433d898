/// What Zeek knows about one side of a TCP connection (`TCP_Endpoint.h`, `EndpointState`).
public enum ZeekEndpointState: UInt8, Sendable, Hashable {
    /// Nothing seen from this side.
    case inactive
    /// A SYN seen, no ACK yet.
    case synSent
    /// A SYN-ACK seen without the initial SYN.
    case synAckSent
    /// Data or ACKs seen, but no SYN: the connection began before the capture.
    case partial
    /// The handshake completed (implicit for a SYN sent by the responder).
    case established
    /// A FIN seen.
    case closed
    /// A RST seen.
    case reset
}
