/// Which file format a capture turned out to be, from its magic number.
public enum CaptureFileFormat: Sendable, Hashable, CustomStringConvertible {
    /// Classic libpcap, with microsecond or nanosecond timestamps.
    case pcap(nanosecondTimestamps: Bool)
    /// pcapng.
    case pcapng

    public var description: String {
        switch self {
        case .pcap(let nanoseconds): nanoseconds ? "pcap (nanosecond timestamps)" : "pcap"
        case .pcapng: "pcapng"
        }
    }
}
