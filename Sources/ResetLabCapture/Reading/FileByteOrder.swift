/// The byte order a capture file writes its own fields in (record headers, block lengths, options), as
/// its magic number says. Packet bytes are not affected: protocol headers are always in network order.
struct FileByteOrder: Sendable, Hashable {
    /// Whether the fields are big-endian (written on a big-endian host).
    var isBigEndian: Bool

    static let littleEndian = FileByteOrder(isBigEndian: false)
    static let bigEndian = FileByteOrder(isBigEndian: true)

    /// A 16-bit field at `offset`; the caller checks the bounds.
    @inline(__always)
    func uint16(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt16 {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return self.isBigEndian ? UInt16(bigEndian: value) : UInt16(littleEndian: value)
    }

    /// A 32-bit field at `offset`; the caller checks the bounds.
    @inline(__always)
    func uint32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return self.isBigEndian ? UInt32(bigEndian: value) : UInt32(littleEndian: value)
    }

    /// A 64-bit field at `offset`; the caller checks the bounds.
    @inline(__always)
    func uint64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        return self.isBigEndian ? UInt64(bigEndian: value) : UInt64(littleEndian: value)
    }
}
