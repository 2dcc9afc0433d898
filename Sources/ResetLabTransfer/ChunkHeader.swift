import CResetLabDigest

/// The fixed part of a CHUNK payload: `offset: UInt64, crc32c: UInt32`, then the data (the frame's
/// length minus ``size`` bytes) that belongs at `offset` of the file.
public struct ChunkHeader: Sendable, Equatable {
    /// The fixed part's size on the wire.
    public static let size = 12

    /// Where the data belongs in the file.
    public var offset: UInt64
    /// CRC-32C (Castagnoli) of the data.
    public var crc32c: UInt32

    public init(offset: UInt64, crc32c: UInt32) {
        self.offset = offset
        self.crc32c = crc32c
    }

    /// The header for `data` at `offset`, with its checksum computed.
    public init(offset: UInt64, data: UnsafeRawBufferPointer) {
        self.init(offset: offset, crc32c: Self.checksum(data))
    }

    /// Reads the fixed part from the first ``size`` bytes of a CHUNK payload.
    /// - Throws: ``TransferProtocolError/truncated(expected:got:)`` when fewer bytes are given.
    public init(decoding bytes: some Collection<UInt8>) throws(TransferProtocolError) {
        var reader = ByteReader(Array(bytes.prefix(Self.size)))
        guard let offset = reader.readUInt64(), let crc = reader.readUInt32() else {
            throw .truncated(expected: Self.size, got: bytes.count)
        }
        self.init(offset: offset, crc32c: crc)
    }

    /// Whether `data` is what the sender checksummed.
    public func matches(_ data: UnsafeRawBufferPointer) -> Bool {
        Self.checksum(data) == self.crc32c
    }

    /// The frame header and this fixed part, ready to go in front of `dataLength` bytes of data.
    public func encodedFrameHead(dataLength: Int) -> [UInt8] {
        var writer = ByteWriter()
        writer.write(contentsOf: TransferFrameHeader(type: .chunk, length: Self.size + dataLength).encoded())
        writer.write(self.offset)
        writer.write(self.crc32c)
        return writer.bytes
    }

    /// CRC-32C of `data` (hardware instruction where the CPU has it).
    public static func checksum(_ data: UnsafeRawBufferPointer) -> UInt32 {
        rl_crc32c(0, data.baseAddress, data.count)
    }
}
