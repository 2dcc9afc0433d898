/// Reads a pcap or pcapng capture from a ``ByteSource`` and hands out its frames one by one.
///
/// The format is detected from the magic number. Input is read in chunks (256 KiB by default) into
/// one reusable buffer that grows only when a single record is larger, so memory does not depend on the
/// input's size, and nothing is allocated per frame.
///
/// ```swift
/// var reader = CaptureReader(source: FileDescriptorSource(fileDescriptor: descriptor))
/// try reader.readFrames { frame in
///     let packet = PacketDecoder.decode(frame)
///     ...
/// }
/// ```
public struct CaptureReader<Source: ByteSource> {
    private var source: Source
    /// Input bytes; `buffer[start..<end]` is read but not yet handled.
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    /// Where `buffer[0]` is in the input.
    private var bufferOffset = 0
    /// Whether the source has reported the end of its input.
    private var sourceEnded = false
    private var phase = Phase.undetected
    private var pcap: PcapFormat?
    private var pcapng = PcapngFormat()
    private var nextFrame = 1

    private enum Phase {
        case undetected
        case pcap
        case pcapng
        case finished
    }

    /// A reader of `source`, which reads `chunkSize` bytes at a time (at least 64; 256 KiB, small enough to stay in the CPU's cache while it is parsed).
    public init(source: Source, chunkSize: Int = 1 << 18) {
        self.source = source
        self.buffer = [UInt8](repeating: 0, count: max(64, chunkSize))
    }

    /// The file's format, once ``readFrames(_:)`` has read its magic number.
    public private(set) var format: CaptureFileFormat?

    /// How many frames have been handed out so far.
    public var frameCount: Int { self.nextFrame - 1 }

    /// Calls `body` with every frame, in file order, until the input ends.
    ///
    /// The frame's ``CapturedFrame/bytes`` point into the reader's buffer and are valid only during the
    /// call. Throws ``CaptureReadError`` when the input is not a capture or is corrupt or cut short, after
    /// every frame before the problem has been handed to `body`; rethrows what `body` and the source
    /// throw. Calling it again after it has returned normally does nothing.
    public mutating func readFrames(_ body: (borrowing CapturedFrame) throws -> Void) throws {
        if self.phase == .undetected {
            try self.detectFormat()
        }
        while self.phase != .finished {
            let progress = try self.readBufferedRecords(body)
            self.start += progress.consumed
            guard try self.fill(atLeast: progress.needed) else {
                let remaining = self.end - self.start
                guard remaining > 0 else {
                    self.phase = .finished
                    return
                }
                throw self.truncationError()
            }
        }
    }

    /// Reads the magic number and, for pcap, the file header.
    private mutating func detectFormat() throws {
        guard try self.fill(atLeast: 4) else {
            let length = self.end - self.start
            throw length == 0 ? CaptureReadError.emptyInput() : CaptureReadError.tooShortForMagic(length: length)
        }
        let magic = self.buffered(count: 4) { ($0[0], $0[1], $0[2], $0[3]) }
        if self.buffered(count: 4, PcapngFormat.recognize(magic:)) {
            self.phase = .pcapng
            self.format = .pcapng
        } else if let (byteOrder, nanoseconds) = self.buffered(count: 4, PcapFormat.recognize(magic:)) {
            guard try self.fill(atLeast: PcapFormat.fileHeaderLength) else {
                throw CaptureReadError.truncatedFileHeader(available: self.end - self.start)
            }
            self.pcap = self.buffered(count: PcapFormat.fileHeaderLength) {
                PcapFormat(fileHeader: $0, byteOrder: byteOrder, nanoseconds: nanoseconds)
            }
            self.start += PcapFormat.fileHeaderLength
            self.phase = .pcap
            self.format = .pcap(nanosecondTimestamps: nanoseconds)
        } else {
            throw CaptureReadError.unknownMagic(magic)
        }
    }

    /// Hands every complete record in the buffer to `body`.
    private mutating func readBufferedRecords(
        _ body: (borrowing CapturedFrame) throws -> Void
    ) throws -> CaptureRecordProgress {
        let inputOffset = self.bufferOffset + self.start
        let storage = self.buffer
        let (start, end) = (self.start, self.end)
        return try storage.withUnsafeBytes { raw in
            try self.readRecords(in: UnsafeRawBufferPointer(rebasing: raw[start..<end]), inputOffset, body)
        }
    }

    private mutating func readRecords(
        in bytes: UnsafeRawBufferPointer, _ inputOffset: Int, _ body: (borrowing CapturedFrame) throws -> Void
    ) throws -> CaptureRecordProgress {
        if self.phase == .pcap, let pcap = self.pcap {
            return try pcap.readRecords(in: bytes, inputOffset: inputOffset, nextFrame: &self.nextFrame, body)
        }
        return try self.pcapng.readBlocks(in: bytes, inputOffset: inputOffset, nextFrame: &self.nextFrame, body)
    }

    /// The error for input that ends inside a record.
    private func truncationError() -> CaptureReadError {
        let inputOffset = self.bufferOffset + self.start
        return self.buffered(count: self.end - self.start) { bytes in
            if let pcap = self.pcap {
                return pcap.truncationError(in: bytes, inputOffset: inputOffset, nextFrame: self.nextFrame)
            }
            return self.pcapng.truncationError(in: bytes, inputOffset: inputOffset)
        }
    }

    /// Runs `body` on the first `count` unhandled bytes, which the caller has made sure are there.
    private func buffered<Result>(count: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        self.buffer.withUnsafeBytes { raw in
            body(UnsafeRawBufferPointer(rebasing: raw[self.start..<(self.start + count)]))
        }
    }

    /// Makes at least `count` unhandled bytes available, reading more input as needed; `false` when the
    /// input ends first. The buffer grows, doubling, only while a single record does not fit, so that a
    /// corrupt length cannot make it allocate more than the input holds.
    private mutating func fill(atLeast count: Int) throws -> Bool {
        if self.end - self.start >= count { return true }
        if self.sourceEnded { return false }
        var storage: [UInt8] = []
        swap(&storage, &self.buffer)
        defer { swap(&storage, &self.buffer) }
        // Move the unhandled tail to the front.
        if self.start > 0 {
            let tail = self.end - self.start
            let from = self.start
            storage.withUnsafeMutableBytes { raw in
                if tail > 0, let base = raw.baseAddress {
                    base.copyMemory(from: base + from, byteCount: tail)
                }
            }
            self.bufferOffset += self.start
            self.start = 0
            self.end = tail
        }
        while self.end < count {
            if self.end == storage.count {
                let grown = min(max(storage.count * 2, 64), count)
                storage.append(contentsOf: repeatElement(0, count: grown - storage.count))
            }
            let (end, room) = (self.end, storage.count - self.end)
            let read = try storage.withUnsafeMutableBytes { raw in
                try self.source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
            }
            guard read >= 0, read <= room else {
                throw CaptureReadError.sourceOverran(offset: self.bufferOffset + end, returned: read, room: room)
            }
            if read == 0 {
                self.sourceEnded = true
                return false
            }
            self.end += read
        }
        return true
    }
}

/// How far a format got through the buffered bytes: it handled `consumed` bytes, and the next record
/// needs `needed` bytes from there (more than are buffered).
struct CaptureRecordProgress {
    var consumed: Int
    var needed: Int
}
