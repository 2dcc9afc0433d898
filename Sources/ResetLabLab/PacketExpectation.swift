import ResetLabCapture

/// Describes segments a scenario expects on the wire.
public struct PacketMatch: Sendable, Hashable, CustomStringConvertible {
    public var from: LabActor
    /// Flags that must all be set.
    public var flags: TCPFlags
    /// When set, the segment must carry data.
    public var carriesData: Bool

    public init(_ from: LabActor, _ flags: TCPFlags, carriesData: Bool = false) {
        self.from = from
        self.flags = flags
        self.carriesData = carriesData
    }

    /// A data segment from this side.
    public static func data(_ from: LabActor) -> PacketMatch { PacketMatch(from, [], carriesData: true) }

    public func matches(_ packet: LabPacket) -> Bool {
        packet.from == self.from && packet.flags.isSuperset(of: self.flags) && (!self.carriesData || packet.payloadLength > 0)
    }

    public var description: String {
        let what = self.carriesData ? "data" : self.flags.letters
        return "\(what) from \(self.from.rawValue)"
    }
}

/// A check on the captured segments.
public enum PacketExpectation: Sendable, Hashable, CustomStringConvertible {
    /// These segments appear in this order (others may come between).
    case inOrder([PacketMatch])
    /// No such segment appears.
    case absent(PacketMatch)
    /// At least this many such segments appear (e.g. retransmissions).
    case atLeast(Int, PacketMatch)

    public func isMet(by packets: [LabPacket]) -> Bool {
        switch self {
        case .inOrder(let matches):
            var remaining = matches[...]
            for packet in packets {
                guard let next = remaining.first else { break }
                if next.matches(packet) { remaining = remaining.dropFirst() }
            }
            return remaining.isEmpty
        case .absent(let match):
            return !packets.contains { match.matches($0) }
        case .atLeast(let count, let match):
            return packets.filter { match.matches($0) }.count >= count
        }
    }

    public var description: String {
        switch self {
        case .inOrder(let matches): matches.map(\.description).joined(separator: ", then ")
        case .absent(let match): "no \(match)"
        case .atLeast(let count, let match): "at least \(count) × \(match)"
        }
    }
}
