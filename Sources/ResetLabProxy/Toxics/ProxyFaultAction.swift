/// What a proxy-wide fault (``CrashRestartFault``) tells the proxy to do with its listener and all its
/// connections. Per-connection toxics use ``FaultAction`` instead.
public enum ProxyFaultAction: Sendable, Hashable {
    /// Abort every open connection of the proxy: RST to each client and each upstream.
    case resetAllConnections
    /// Close the listening socket, so new connects are refused by the kernel (RST to the SYN).
    case stopListening
    /// Open the listening socket again on the same address.
    case startListening
    /// Call the fault's `timerFired(now:)` at this instant.
    case wake(at: ProxyInstant)
}
