import CResetLabPrefetch

/// The classic libpcap file format: a 24-byte file header, then one record per frame, each a 16-byte
/// header (seconds, microseconds or nanoseconds, captured length, original length) and the frame's bytes.
///
/// The magic number 0xa1b2c3d4 (microseconds) or 0xa1b23c4d (nanoseconds) is written in the writing
/// host's byte order, and so are all other fields.
struct PcapFormat: Sendable {
    static let fileHeaderLength = 24
    static let recordHeaderLength = 16

    /// The byte order of the file's fields.
    let byteOrder: FileByteOrder
    /// Whether the second field of a record header counts nanoseconds rather than microseconds.
    let hasNanosecondTimestamps: Bool
    /// The link type of every frame: the low 16 bits of the header's field (libpcap's `LT_LINKTYPE`;
    /// the upper bits carry the FCS length and reserved flags).
    let linkType: LinkType
    /// The most bytes the capturing program kept per frame. Records may exceed it; some writers do.
    let snapLength: UInt32

    /// Recognizes the first 4 bytes of a file; `nil` when they are not a pcap magic number.
    static func recognize(magic bytes: UnsafeRawBufferPointer) -> (byteOrder: FileByteOrder, nanoseconds: Bool)? {
        switch FileByteOrder.bigEndian.uint32(bytes, at: 0) {
        case 0xa1b2_c3d4: (.bigEndian, false)
        case 0xa1b2_3c4d: (.bigEndian, true)
        case 0xd4c3_b2a1: (.littleEndian, false)
        case 0x4d3c_b2a1: (.littleEndian, true)
        default: nil
        }
    }

    /// Reads the 24-byte file header at the start of `bytes`, whose magic ``recognize(magic:)`` accepted.
    init(fileHeader bytes: UnsafeRawBufferPointer, byteOrder: FileByteOrder, nanoseconds: Bool) {
        // struct pcap_file_header { magic; u16 version_major; u16 version_minor; i32 thiszone;
        //                           u32 sigfigs; u32 snaplen; u32 linktype; }
        self.byteOrder = byteOrder
        self.hasNanosecondTimestamps = nanoseconds
        self.snapLength = byteOrder.uint32(bytes, at: 16)
        self.linkType = LinkType(rawValue: byteOrder.uint32(bytes, at: 20) & 0xffff)
    }

    /// Hands every complete record in `bytes` to `body` and says how far it got and how many bytes the
    /// next record needs. `inputOffset` is where `bytes` starts in the input; `nextFrame` counts frames.
    func readRecords(
        in bytes: UnsafeRawBufferPointer, inputOffset: Int, nextFrame: inout Int,
        _ body: (borrowing CapturedFrame) throws -> Void
    ) throws -> CaptureRecordProgress {
        let fractionScale: Int64 = self.hasNanosecondTimestamps ? 1 : 1000
        var position = 0
        var readAhead = ReadAhead()
        while true {
            let remaining = bytes.count - position
            guard remaining >= Self.recordHeaderLength else {
                return CaptureRecordProgress(consumed: position, needed: Self.recordHeaderLength)
            }
            let capturedLength = self.byteOrder.uint32(bytes, at: position + 8)
            guard capturedLength <= CaptureReadError.maximumRecordLength else {
                throw CaptureReadError.recordTooLarge(
                    offset: inputOffset + position, frame: nextFrame, capturedLength: capturedLength)
            }
            let recordLength = Self.recordHeaderLength + Int(capturedLength)
            guard remaining >= recordLength else {
                return CaptureRecordProgress(consumed: position, needed: recordLength)
            }
            // Each record's place is known only from the previous one's length. The next record's header
            // was asked for one record ago, so its length is at hand: ask for the one after it now, and
            // the walk seldom waits on memory for a header.
            readAhead.advance(to: position, in: bytes)
            if let base = bytes.baseAddress {
                let next = position + recordLength
                if next + Self.recordHeaderLength <= bytes.count {
                    let nextLength = Int(truncatingIfNeeded: self.byteOrder.uint32(bytes, at: next + 8))
                    let afterNext = next + Self.recordHeaderLength + nextLength
                    if afterNext + 128 <= bytes.count {
                        rl_prefetch_once(base + afterNext)
                        rl_prefetch_once(base + afterNext + 64)
                        rl_prefetch_once(base + afterNext + 127)
                    }
                }
            }
            let seconds = Int64(self.byteOrder.uint32(bytes, at: position))
            let fraction = Int64(self.byteOrder.uint32(bytes, at: position + 4))
            let originalLength = self.byteOrder.uint32(bytes, at: position + 12)
            // Both fit easily: (2^32 - 1) * 10^9 + (2^32 - 1) * 1000 is below Int64.max.
            let timestamp = seconds &* 1_000_000_000 &+ fraction &* fractionScale
            let frame = CapturedFrame(
                index: nextFrame, timestamp: timestamp, linkType: self.linkType,
                bytes: UnsafeRawBufferPointer(
                    rebasing: bytes[(position + Self.recordHeaderLength)..<(position + recordLength)]),
                originalLength: Int(originalLength), interface: 0, fileOffset: inputOffset + position)
            try body(frame)
            nextFrame += 1
            position += recordLength
        }
    }

    /// The error for input that ends inside the record at the start of `bytes`.
    func truncationError(in bytes: UnsafeRawBufferPointer, inputOffset: Int, nextFrame: Int) -> CaptureReadError {
        guard bytes.count >= Self.recordHeaderLength else {
            return .truncatedRecordHeader(
                offset: inputOffset, frame: nextFrame, available: bytes.count, headerLength: Self.recordHeaderLength)
        }
        return .truncatedRecord(
            offset: inputOffset, frame: nextFrame, claimed: Int(self.byteOrder.uint32(bytes, at: 8)),
            available: bytes.count - Self.recordHeaderLength)
    }
}
