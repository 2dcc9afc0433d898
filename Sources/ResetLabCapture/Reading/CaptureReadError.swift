/// A capture file that cannot be read on: not a capture at all, cut short, or with a record or block
/// whose lengths cannot be. Frames before the problem have already been delivered.
public struct CaptureReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is, in bytes from the start of the input: usually the start of the record or
    /// block at fault.
    public var offset: Int
    /// The number the frame would have had, when the problem is in a packet record.
    public var frame: Int?
    /// What is wrong, in words a person can act on, e.g. "truncated record at byte 123456: the record
    /// header says 1514 bytes but the file ends after 300".
    public var reason: String

    public init(offset: Int, frame: Int? = nil, reason: String) {
        self.offset = offset
        self.frame = frame
        self.reason = reason
    }

    public var description: String { self.reason }
}

extension CaptureReadError {
    /// The most captured bytes one record or block may claim: 256 MiB. Anything above is corruption.
    static let maximumRecordLength = 256 << 20

    static func emptyInput() -> CaptureReadError {
        CaptureReadError(
            offset: 0, reason: "the input is empty: a pcap or pcapng file starts with a 4-byte magic number")
    }

    static func tooShortForMagic(length: Int) -> CaptureReadError {
        CaptureReadError(
            offset: 0,
            reason: "not a pcap or pcapng file: the input is only \(length) byte\(length == 1 ? "" : "s") long")
    }

    static func unknownMagic(_ magic: (UInt8, UInt8, UInt8, UInt8)) -> CaptureReadError {
        let bytes = [magic.0, magic.1, magic.2, magic.3]
        let hex = bytes.map { Self.hexByte($0) }.joined(separator: " ")
        let guess = Self.guessFormat(bytes).map { " (\($0))" } ?? ""
        return CaptureReadError(offset: 0, reason: "not a pcap or pcapng file: the first 4 bytes are \(hex)\(guess)")
    }

    static func truncatedFileHeader(available: Int) -> CaptureReadError {
        CaptureReadError(
            offset: 0,
            reason: "truncated pcap file header: the file ends after \(available) of its 24 bytes")
    }

    static func truncatedRecordHeader(offset: Int, frame: Int, available: Int, headerLength: Int) -> CaptureReadError {
        CaptureReadError(
            offset: offset, frame: frame,
            reason: "truncated record header at byte \(offset) (frame \(frame)): the file ends after "
                + "\(available) of its \(headerLength) bytes")
    }

    static func truncatedRecord(offset: Int, frame: Int, claimed: Int, available: Int) -> CaptureReadError {
        CaptureReadError(
            offset: offset, frame: frame,
            reason: "truncated record at byte \(offset) (frame \(frame)): the record header says \(claimed) "
                + "bytes but the file ends after \(available)")
    }

    static func recordTooLarge(offset: Int, frame: Int, capturedLength: UInt32) -> CaptureReadError {
        CaptureReadError(
            offset: offset, frame: frame,
            reason: "record at byte \(offset) (frame \(frame)) claims \(capturedLength) captured bytes, above "
                + "the 256 MiB limit: the file is corrupt")
    }

    static func pcapngBlockTooShortForHeader(offset: Int, available: Int, needed: Int) -> CaptureReadError {
        CaptureReadError(
            offset: offset,
            reason: "truncated pcapng block at byte \(offset): the file ends after \(available) of the "
                + "\(needed) bytes of its header")
    }

    static func pcapngLengthNotMultipleOf4(offset: Int, length: UInt32) -> CaptureReadError {
        CaptureReadError(
            offset: offset, reason: "pcapng block at byte \(offset) has length \(length), not a multiple of 4")
    }

    static func pcapngBlockTooShort(offset: Int, kind: String, length: UInt32, minimum: Int) -> CaptureReadError {
        CaptureReadError(
            offset: offset,
            reason: "pcapng \(kind) at byte \(offset) has length \(length), below the \(minimum) bytes such a "
                + "block needs")
    }

    static func pcapngBlockTooLarge(offset: Int, length: UInt32) -> CaptureReadError {
        CaptureReadError(
            offset: offset,
            reason: "pcapng block at byte \(offset) claims \(length) bytes, above the 256 MiB limit: the file "
                + "is corrupt")
    }

    static func truncatedPcapngBlock(offset: Int, claimed: Int, available: Int) -> CaptureReadError {
        CaptureReadError(
            offset: offset,
            reason: "truncated pcapng block at byte \(offset): the block header says \(claimed) bytes but the "
                + "file ends after \(available)")
    }

    static func pcapngTrailingLengthMismatch(offset: Int, leading: UInt32, trailing: UInt32) -> CaptureReadError {
        CaptureReadError(
            offset: offset,
            reason: "pcapng block at byte \(offset) says it is \(leading) bytes long at its start but "
                + "\(trailing) at its end: the file is corrupt")
    }

    static func pcapngBadByteOrderMagic(offset: Int, magic: UInt32) -> CaptureReadError {
        CaptureReadError(
            offset: offset,
            reason: "pcapng section header block at byte \(offset) has byte-order magic "
                + "\(Self.hexWord(magic)), expected 1a2b3c4d in either byte order")
    }

    static func pcapngUnsupportedVersion(offset: Int, major: UInt16, minor: UInt16) -> CaptureReadError {
        CaptureReadError(
            offset: offset,
            reason: "pcapng section header block at byte \(offset) has version \(major).\(minor); only "
                + "version 1 is understood")
    }

    static func pcapngUnknownInterface(offset: Int, frame: Int, interface: UInt32, described: Int) -> CaptureReadError {
        let known = described == 0
            ? "the section has described no interface yet"
            : "the section has described only \(described) (0 to \(described - 1))"
        return CaptureReadError(
            offset: offset, frame: frame,
            reason: "pcapng packet block at byte \(offset) (frame \(frame)) refers to interface \(interface), "
                + "but \(known)")
    }

    static func pcapngPacketExceedsBlock(offset: Int, frame: Int, capturedLength: UInt32, room: Int) -> CaptureReadError {
        CaptureReadError(
            offset: offset, frame: frame,
            reason: "pcapng packet block at byte \(offset) (frame \(frame)) claims \(capturedLength) captured "
                + "bytes but the block has room for \(room)")
    }

    static func sourceOverran(offset: Int, returned: Int, room: Int) -> CaptureReadError {
        CaptureReadError(
            offset: offset,
            reason: "the byte source returned \(returned) bytes at byte \(offset) when asked for at most \(room)")
    }

    /// A hint at what the file is instead, from its first bytes.
    private static func guessFormat(_ bytes: [UInt8]) -> String? {
        switch (bytes[0], bytes[1], bytes[2], bytes[3]) {
        case (0x25, 0x50, 0x44, 0x46): return "this looks like a PDF"
        case (0x1f, 0x8b, _, _): return "this looks gzip-compressed: decompress it first"
        case (0x28, 0xb5, 0x2f, 0xfd): return "this looks zstd-compressed: decompress it first"
        case (0xfd, 0x37, 0x7a, 0x58): return "this looks xz-compressed: decompress it first"
        case (0x42, 0x5a, 0x68, _): return "this looks bzip2-compressed: decompress it first"
        case (0x50, 0x4b, 0x03, 0x04): return "this looks like a zip archive: extract the capture first"
        case (0x7f, 0x45, 0x4c, 0x46): return "this looks like an ELF executable"
        case (0x73, 0x6e, 0x6f, 0x6f): return "this looks like a Solaris snoop capture: convert it with editcap"
        case (0x47, 0x4d, 0x42, 0x55): return "this looks like a Microsoft Network Monitor capture: convert it with editcap"
        case (0x34, 0xcd, 0xb2, 0xa1), (0xa1, 0xb2, 0xcd, 0x34):
            return "a modified (Kuznetzov) pcap: convert it with editcap -F pcap"
        default: break
        }
        let printable = bytes.allSatisfy { ($0 >= 0x20 && $0 < 0x7f) || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }
        return printable ? "this looks like text, perhaps tcpdump's printed output rather than a -w file" : nil
    }

    /// Two lower-case hex digits.
    private static func hexByte(_ byte: UInt8) -> String {
        let text = String(byte, radix: 16)
        return byte < 0x10 ? "0" + text : text
    }

    /// Eight lower-case hex digits.
    private static func hexWord(_ word: UInt32) -> String {
        (0..<4).map { Self.hexByte(UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32($0)))) }.joined()
    }
}
