/// Reads a pcap or pcapng capture from a ``ByteSource`` and hands out its frames one by one.
///
/// The format is detected from the magic number. A source that lends its bytes in place (a mapped file)
/// is read without copying; any other is read in chunks (256 KiB by default) into one reusable buffer that
/// grows only when a single record is larger. Either way memory does not depend on the input's size, and
/// nothing is allocated per frame.
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
    /// Copied input bytes, when the source does not lend them.
    private var buffer: [UInt8]
    /// The source's lent bytes, when it lends them; `start` and `end` then index this window.
    private var lent: UnsafeRawBufferPointer?
    /// Whether the source may still lend (once it declines, copying takes over for good).
    private var mayLend = true
    /// `[start..<end]` of the buffer or the lent window is read but not yet handled.
    private var start = 0
    private var end = 0
    /// Where the buffer's or the window's first byte is in the input.
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
    /// The frame's ``CapturedFrame/bytes`` point into the reader's buffer (or the source's lent bytes) and
    /// are valid only during the call. Throws ``CaptureReadError`` when the input is not a capture or is corrupt or cut short, after
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
        if let lent = self.lent {
            return try self.readRecords(in: UnsafeRawBufferPointer(rebasing: lent[self.start..<self.end]), inputOffset, body)
        }
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
        if let lent = self.lent {
            return body(UnsafeRawBufferPointer(rebasing: lent[self.start..<(self.start + count)]))
        }
        return self.buffer.withUnsafeBytes { raw in
            body(UnsafeRawBufferPointer(rebasing: raw[self.start..<(self.start + count)]))
        }
    }

    /// Makes at least `count` unhandled bytes available; `false` when the input ends first.
    private mutating func fill(atLeast count: Int) throws -> Bool {
        if self.end - self.start >= count { return true }
        if self.sourceEnded { return false }
        if self.mayLend {
            let from = self.bufferOffset + self.start
            if let window = try self.source.lend(from: from, atLeast: count) {
                self.lent = window
                self.bufferOffset = from
                self.start = 0
                self.end = window.count
                if window.count < count { self.sourceEnded = true }
                return window.count >= count
            }
            self.mayLend = false
            if let lent = self.lent {
                // The source stopped lending midway: carry the unhandled bytes over into the buffer.
                let tail = self.end - self.start
                if self.buffer.count < tail { self.buffer = [UInt8](repeating: 0, count: tail) }
                let origin = self.start
                self.buffer.withUnsafeMutableBytes { raw in
                    if tail > 0, let destination = raw.baseAddress, let base = lent.baseAddress {
                        destination.copyMemory(from: base + origin, byteCount: tail)
                    }
                }
                self.bufferOffset = from
                self.start = 0
                self.end = tail
                self.lent = nil
            }
        }
        return try self.copy(atLeast: count)
    }

    /// Reads input into the buffer until at least `count` unhandled bytes are there; `false` when the input
    /// ends first. The buffer grows, doubling, only while a single record does not fit, so that a corrupt
    /// length cannot make it allocate more than the input holds.
    private mutating func copy(atLeast count: Int) throws -> Bool {
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
