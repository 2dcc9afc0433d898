/// Writes captured segments as a classic libpcap file that tcpdump, tshark and Wireshark open.
///
/// The file is the 24-byte global header, then for each packet a 16-byte record header and the packet's
/// bytes. Every field is little-endian (the magic number tells readers the byte order). The link type is
/// `LINKTYPE_RAW` (101): each record starts at the IPv4 header, with no Ethernet header before it.
public enum PCAPWriter {
    /// The most bytes kept of one packet; longer packets are cut and keep their original length.
    static let snapshotLength = 65_535

    /// The whole file for these packets, in the order given.
    public static func file(_ packets: [LabPacket]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24 + packets.reduce(0) { $0 + 16 + min($1.ipPacket.count, Self.snapshotLength) })
        // struct pcap_file_header {
        Self.append(UInt32(0xa1b2_c3d4), to: &bytes)  // bpf_u_int32 magic;  microsecond timestamps
        Self.append(UInt16(2), to: &bytes)  // u_short version_major;
        Self.append(UInt16(4), to: &bytes)  // u_short version_minor;
        Self.append(UInt32(0), to: &bytes)  // bpf_int32 thiszone;  GMT to local correction: always 0
        Self.append(UInt32(0), to: &bytes)  // bpf_u_int32 sigfigs;  accuracy of timestamps: always 0
        Self.append(UInt32(Self.snapshotLength), to: &bytes)  // bpf_u_int32 snaplen;  max length saved
        Self.append(UInt32(101), to: &bytes)  // bpf_u_int32 linktype;  LINKTYPE_RAW: raw IPv4/IPv6
        // };
        for packet in packets {
            let kept = packet.ipPacket.prefix(Self.snapshotLength)
            let (seconds, microseconds) = Self.timestamp(packet.timestampNanoseconds)
            // struct pcap_pkthdr {  (struct timeval ts as two 32-bit fields on disk)
            Self.append(seconds, to: &bytes)  // bpf_u_int32 ts.tv_sec;  seconds since the epoch
            Self.append(microseconds, to: &bytes)  // bpf_u_int32 ts.tv_usec;  microseconds in that second
            Self.append(UInt32(kept.count), to: &bytes)  // bpf_u_int32 caplen;  bytes present in the file
            // bpf_u_int32 len;  length on the wire
            Self.append(UInt32(clamping: packet.ipPacket.count), to: &bytes)
            // };
            bytes += kept
        }
        return bytes
    }

    /// Seconds and microseconds of a time in nanoseconds since the epoch, clamped to what 32 bits hold.
    static func timestamp(_ nanoseconds: Int64) -> (seconds: UInt32, microseconds: UInt32) {
        guard nanoseconds > 0 else { return (0, 0) }
        let seconds = nanoseconds / 1_000_000_000
        guard seconds <= Int64(UInt32.max) else { return (UInt32.max, 999_999) }
        return (UInt32(seconds), UInt32(nanoseconds % 1_000_000_000 / 1000))
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    private static func append(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }
}
