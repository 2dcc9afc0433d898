import ResetLabCapture

/// This host's own addresses and loopback interfaces, which tell a reset this host sent or received from
/// one it only forwarded (a router, a bridge to containers or virtual machines): packet capture sees both.
public struct HostAddresses: Sendable, Equatable {
    /// The addresses configured on this host's interfaces.
    public var addresses: Set<IPAddress>
    /// Interface indexes of loopback devices: anything crossing one is this host's own, whatever the address
    /// (all of 127.0.0.0/8 answers there, not only the configured 127.0.0.1).
    public var loopbackInterfaces: Set<Int32>

    public init(addresses: Set<IPAddress>, loopbackInterfaces: Set<Int32>) {
        self.addresses = addresses
        self.loopbackInterfaces = loopbackInterfaces
    }

    /// Whether this host is an end of the reset: its local end (the source of a leaving packet, the
    /// destination of an arriving one) is one of ``addresses``, or it crossed a loopback interface.
    public func owns(_ reset: CapturedReset, direction: PacketDirection, interface: Int32) -> Bool {
        self.loopbackInterfaces.contains(interface) || self.addresses.contains(reset.localAddress(direction))
    }
}
