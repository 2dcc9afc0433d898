/// The pcapng file format: a sequence of blocks, each `type, total length, body, total length`, grouped
/// in sections that each start with a Section Header Block giving the section's byte order.
///
/// Interface Description Blocks describe the interfaces of the current section (link type, snap length,
/// timestamp unit and offset); Enhanced, Simple and (obsolete) Packet Blocks carry frames. Every other
/// block (name resolution, statistics, decryption secrets, custom...) is skipped by its length.
struct PcapngFormat: Sendable {
    static let sectionHeaderType: UInt32 = 0x0a0d_0d0a
    static let interfaceDescriptionType: UInt32 = 1
    static let packetType: UInt32 = 2
    static let simplePacketType: UInt32 = 3
    static let enhancedPacketType: UInt32 = 6
    /// Type, length and (for a section header) the byte-order magic: what must be read before the length
    /// can be trusted. Every block is at least this long.
    static let blockPrefixLength = 12
    /// The longest block accepted: a packet of the 256 MiB limit with generous room for options.
    static let maximumBlockLength = CaptureReadError.maximumRecordLength + (1 << 20)

    /// The current section's byte order.
    private var byteOrder = FileByteOrder.littleEndian
    /// The current section's interfaces, by interface ID.
    private var interfaces: [PcapngInterface] = []
    /// The last packet's timestamp, for Simple Packet Blocks, which carry none.
    private var lastTimestamp: Int64 = 0

    init() {}

    /// Whether the first 4 bytes of a file are a Section Header Block's type (the same in both orders).
    static func recognize(magic bytes: UnsafeRawBufferPointer) -> Bool {
        FileByteOrder.bigEndian.uint32(bytes, at: 0) == Self.sectionHeaderType
    }

    /// Handles every complete block in `bytes`, handing frames to `body`, and says how far it got and how
    /// many bytes the next block needs. `inputOffset` is where `bytes` starts in the input.
    mutating func readBlocks(
        in bytes: UnsafeRawBufferPointer, inputOffset: Int, nextFrame: inout Int,
        _ body: (borrowing CapturedFrame) throws -> Void
    ) throws -> CaptureRecordProgress {
        var position = 0
        var readAhead = ReadAhead()
        while true {
            readAhead.advance(to: position, in: bytes)
            let remaining = bytes.count - position
            guard remaining >= Self.blockPrefixLength else {
                return CaptureRecordProgress(consumed: position, needed: Self.blockPrefixLength)
            }
            let blockOffset = inputOffset + position
            let type = self.byteOrder.uint32(bytes, at: position)
            if type == Self.sectionHeaderType {
                // The byte-order magic decides how to read the length, so it is checked first.
                switch FileByteOrder.bigEndian.uint32(bytes, at: position + 8) {
                case 0x1a2b_3c4d: self.byteOrder = .bigEndian
                case 0x4d3c_2b1a: self.byteOrder = .littleEndian
                case let magic: throw CaptureReadError.pcapngBadByteOrderMagic(offset: blockOffset, magic: magic)
                }
            }
            let length = self.byteOrder.uint32(bytes, at: position + 4)
            guard length % 4 == 0 else {
                throw CaptureReadError.pcapngLengthNotMultipleOf4(offset: blockOffset, length: length)
            }
            guard length >= Self.blockPrefixLength else {
                throw CaptureReadError.pcapngBlockTooShort(
                    offset: blockOffset, kind: Self.name(ofType: type), length: length, minimum: Self.blockPrefixLength)
            }
            guard length <= Self.maximumBlockLength else {
                throw CaptureReadError.pcapngBlockTooLarge(offset: blockOffset, length: length)
            }
            let blockLength = Int(length)
            guard remaining >= blockLength else {
                return CaptureRecordProgress(consumed: position, needed: blockLength)
            }
            let block = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + blockLength)])
            let trailingLength = self.byteOrder.uint32(block, at: blockLength - 4)
            guard trailingLength == length else {
                throw CaptureReadError.pcapngTrailingLengthMismatch(
                    offset: blockOffset, leading: length, trailing: trailingLength)
            }
            switch type {
            case Self.enhancedPacketType, Self.packetType:
                try self.readPacketBlock(block, type: type, offset: blockOffset, frame: nextFrame, body)
                nextFrame += 1
            case Self.simplePacketType:
                try self.readSimplePacketBlock(block, offset: blockOffset, frame: nextFrame, body)
                nextFrame += 1
            case Self.interfaceDescriptionType:
                try self.readInterfaceDescription(block, offset: blockOffset)
            case Self.sectionHeaderType:
                try self.readSectionHeader(block, offset: blockOffset)
            default:
                break
            }
            position += blockLength
        }
    }

    /// The error for input that ends inside the block at the start of `bytes`.
    func truncationError(in bytes: UnsafeRawBufferPointer, inputOffset: Int) -> CaptureReadError {
        guard bytes.count >= Self.blockPrefixLength else {
            return .pcapngBlockTooShortForHeader(
                offset: inputOffset, available: bytes.count, needed: Self.blockPrefixLength)
        }
        var byteOrder = self.byteOrder
        if self.byteOrder.uint32(bytes, at: 0) == Self.sectionHeaderType {
            byteOrder.isBigEndian = FileByteOrder.bigEndian.uint32(bytes, at: 8) == 0x1a2b_3c4d
        }
        return .truncatedPcapngBlock(
            offset: inputOffset, claimed: Int(byteOrder.uint32(bytes, at: 4)), available: bytes.count)
    }

    // MARK: - Blocks

    /// An Enhanced Packet Block (type 6) or the obsolete Packet Block (type 2): interface ID (32 bits, or
    /// 16 bits and a drop count), timestamp high and low words, captured length, original length, data.
    @inline(__always)
    private mutating func readPacketBlock(
        _ block: UnsafeRawBufferPointer, type: UInt32, offset: Int, frame: Int,
        _ body: (borrowing CapturedFrame) throws -> Void
    ) throws {
        let headerLength = 28
        guard block.count >= headerLength + 4 else {
            throw CaptureReadError.pcapngBlockTooShort(
                offset: offset, kind: Self.name(ofType: type), length: UInt32(block.count), minimum: headerLength + 4)
        }
        let interfaceID = type == Self.enhancedPacketType
            ? self.byteOrder.uint32(block, at: 8) : UInt32(self.byteOrder.uint16(block, at: 8))
        guard interfaceID < self.interfaces.count else {
            throw CaptureReadError.pcapngUnknownInterface(
                offset: offset, frame: frame, interface: interfaceID, described: self.interfaces.count)
        }
        let interface = self.interfaces[Int(interfaceID)]
        let capturedLength = self.byteOrder.uint32(block, at: 20)
        let room = block.count - headerLength - 4
        guard capturedLength <= room else {
            if capturedLength > CaptureReadError.maximumRecordLength {
                throw CaptureReadError.recordTooLarge(offset: offset, frame: frame, capturedLength: capturedLength)
            }
            throw CaptureReadError.pcapngPacketExceedsBlock(
                offset: offset, frame: frame, capturedLength: capturedLength, room: room)
        }
        let ticks = UInt64(self.byteOrder.uint32(block, at: 12)) << 32 | UInt64(self.byteOrder.uint32(block, at: 16))
        let timestamp = interface.nanoseconds(ticks: ticks)
        self.lastTimestamp = timestamp
        let captured = CapturedFrame(
            index: frame, timestamp: timestamp, linkType: interface.linkType,
            bytes: UnsafeRawBufferPointer(rebasing: block[headerLength..<(headerLength + Int(capturedLength))]),
            originalLength: Int(self.byteOrder.uint32(block, at: 24)), interface: Int(interfaceID),
            fileOffset: offset)
        try body(captured)
    }

    /// A Simple Packet Block (type 3): original length, then the data, on interface 0 with no timestamp.
    /// The captured length is what the block holds, at most the original length and the snap length.
    private mutating func readSimplePacketBlock(
        _ block: UnsafeRawBufferPointer, offset: Int, frame: Int, _ body: (borrowing CapturedFrame) throws -> Void
    ) throws {
        let headerLength = 12
        guard block.count >= headerLength + 4 else {
            throw CaptureReadError.pcapngBlockTooShort(
                offset: offset, kind: Self.name(ofType: Self.simplePacketType), length: UInt32(block.count),
                minimum: headerLength + 4)
        }
        guard let interface = self.interfaces.first else {
            throw CaptureReadError.pcapngUnknownInterface(offset: offset, frame: frame, interface: 0, described: 0)
        }
        let originalLength = self.byteOrder.uint32(block, at: 8)
        var capturedLength = min(Int(originalLength), block.count - headerLength - 4)
        if interface.snapLength > 0 {
            capturedLength = min(capturedLength, Int(interface.snapLength))
        }
        let captured = CapturedFrame(
            index: frame, timestamp: self.lastTimestamp, linkType: interface.linkType,
            bytes: UnsafeRawBufferPointer(rebasing: block[headerLength..<(headerLength + capturedLength)]),
            originalLength: Int(originalLength), interface: 0, fileOffset: offset)
        try body(captured)
    }

    /// An Interface Description Block (type 1): link type (16 bits), reserved, snap length, options.
    private mutating func readInterfaceDescription(_ block: UnsafeRawBufferPointer, offset: Int) throws {
        let headerLength = 16
        guard block.count >= headerLength + 4 else {
            throw CaptureReadError.pcapngBlockTooShort(
                offset: offset, kind: Self.name(ofType: Self.interfaceDescriptionType), length: UInt32(block.count),
                minimum: headerLength + 4)
        }
        var interface = PcapngInterface(
            linkType: LinkType(rawValue: UInt32(self.byteOrder.uint16(block, at: 8))),
            snapLength: self.byteOrder.uint32(block, at: 12))
        var offsetSeconds: Int64 = 0
        self.forEachOption(in: block, from: headerLength) { code, value in
            switch code {
            case 9 where value.count >= 1:  // if_tsresol
                interface.resolution = PcapngTimestampResolution(optionValue: value[0])
            case 14 where value.count >= 8:  // if_tsoffset
                offsetSeconds = Int64(bitPattern: self.byteOrder.uint64(value, at: 0))
            default:
                break
            }
        }
        if offsetSeconds != 0 {
            interface = PcapngInterface(
                linkType: interface.linkType, snapLength: interface.snapLength, resolution: interface.resolution,
                offsetSeconds: offsetSeconds)
        }
        self.interfaces.append(interface)
    }

    /// A Section Header Block (type 0x0a0d0d0a): byte-order magic, version, section length, options. It
    /// starts a new section, so the interfaces described so far no longer apply.
    private mutating func readSectionHeader(_ block: UnsafeRawBufferPointer, offset: Int) throws {
        let headerLength = 24
        guard block.count >= headerLength + 4 else {
            throw CaptureReadError.pcapngBlockTooShort(
                offset: offset, kind: Self.name(ofType: Self.sectionHeaderType), length: UInt32(block.count),
                minimum: headerLength + 4)
        }
        let major = self.byteOrder.uint16(block, at: 12)
        let minor = self.byteOrder.uint16(block, at: 14)
        guard major == 1 else {
            throw CaptureReadError.pcapngUnsupportedVersion(offset: offset, major: major, minor: minor)
        }
        self.interfaces.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with each option's code and value in the options area that starts `start` bytes into
    /// the block, until the end-of-options option or an option that overruns the block.
    private func forEachOption(
        in block: UnsafeRawBufferPointer, from start: Int, _ body: (UInt16, UnsafeRawBufferPointer) -> Void
    ) {
        let end = block.count - 4
        var position = start
        while end - position >= 4 {
            let code = self.byteOrder.uint16(block, at: position)
            let length = Int(self.byteOrder.uint16(block, at: position + 2))
            let valueStart = position + 4
            guard code != 0, end - valueStart >= length else { return }
            body(code, UnsafeRawBufferPointer(rebasing: block[valueStart..<(valueStart + length)]))
            position = valueStart + (length + 3) & ~3
        }
    }

    /// A block type's name for error messages.
    private static func name(ofType type: UInt32) -> String {
        switch type {
        case Self.sectionHeaderType: "section header block"
        case Self.interfaceDescriptionType: "interface description block"
        case Self.packetType: "packet block"
        case Self.simplePacketType: "simple packet block"
        case Self.enhancedPacketType: "enhanced packet block"
        default: "block of type \(type)"
        }
    }
}
