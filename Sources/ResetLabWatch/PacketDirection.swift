/// Which way a packet captured with AF_PACKET went, from the packet type the kernel reports with it
/// (`sll_pkttype`). On loopback every packet is seen both ways: once leaving, once arriving.
public enum PacketDirection: Sendable, Hashable {
    /// `PACKET_OUTGOING`: this host sent it.
    case leaving
    /// `PACKET_HOST`: it arrived for this host.
    case arriving

    /// Reads a `sll_pkttype`; `nil` for the types that are neither (broadcast, multicast, another host's
    /// packet seen in promiscuous mode, loopback of a multicast).
    public init?(packetType: Int32) {
        switch packetType {
        case 0: self = .arriving  // PACKET_HOST
        case 4: self = .leaving  // PACKET_OUTGOING
        default: return nil
        }
    }
}
