/// One end of a TCP connection: an address and a port.
public struct Endpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// `10.0.0.1:80`, or `[::1]:80` for IPv6.
    public var description: String {
        self.address.isIPv6 ? "[\(self.address)]:\(self.port)" : "\(self.address):\(self.port)"
    }

    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool {
        (lhs.address, lhs.port) < (rhs.address, rhs.port)
    }
}

extension TCPSegment {
    /// The sender's end.
    @inlinable public var sourceEndpoint: Endpoint { Endpoint(address: self.source, port: self.sourcePort) }
    /// The receiver's end.
    @inlinable public var destinationEndpoint: Endpoint { Endpoint(address: self.destination, port: self.destinationPort) }
}
