#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``ByteSource`` over an open file descriptor: a file, a pipe or standard input.
///
/// A regular file is mapped into memory a window at a time and lent in place, so the reader touches only
/// the bytes it parses (the headers) instead of copying every payload byte; only the current window is
/// mapped, so memory stays bounded whatever the file's size. Windows start on 2 MiB boundaries, both in
/// the file and in memory, so that the kernel can map a huge page of the page cache whole (one fault and
/// one TLB entry where 4 KiB pages need 512). Anything else (a pipe, a terminal, a file that cannot be
/// mapped) is read with `read(2)`.
///
/// It neither opens nor closes the descriptor; the caller owns it and keeps it open while reading.
public final class FileDescriptorSource: ByteSource {
    /// The descriptor read from.
    public let fileDescriptor: Int32
    /// How much of a regular file is mapped at once.
    public let windowSize: Int
    /// The current mapping, if any.
    private var mapping: (base: UnsafeMutableRawPointer, length: Int)?
    private let pageSize = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)

    /// - Parameters:
    ///   - fileDescriptor: An open descriptor, read from its current position (pipes) or from the start
    ///     (regular files, which are mapped).
    ///   - windowSize: How much of a regular file is mapped at once (8 MiB by default).
    public init(fileDescriptor: Int32, windowSize: Int = 8 << 20) {
        self.fileDescriptor = fileDescriptor
        self.windowSize = max(windowSize, 1 << 16)
    }

    deinit {
        self.unmap()
    }

    /// Reads once, retrying when a signal interrupts the call. Throws ``FileReadError`` on failure.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(self.fileDescriptor, base, buffer.count)
            if count >= 0 { return min(count, buffer.count) }
            let error = errno
            if error == EINTR { continue }
            throw FileReadError(fileDescriptor: self.fileDescriptor, errorNumber: error)
        }
    }

    /// Maps the window of a regular file that holds `[offset, offset + count)` and lends it from `offset`
    /// on; `nil` for anything that is not a regular file or cannot be mapped.
    public func lend(from offset: Int, atLeast count: Int) throws -> UnsafeRawBufferPointer? {
        var status = stat()
        guard fstat(self.fileDescriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let fileSize = Int(status.st_size)
        // A regular file of size 0 may be a procfs file whose contents only read(2) sees.
        guard fileSize > 0 else { return nil }
        self.unmap()
        guard offset < fileSize else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let alignedOffset = offset - offset % Self.windowAlignment
        let wanted = offset - alignedOffset + max(self.windowSize, count)
        let aligned = (wanted + Self.windowAlignment - 1) / Self.windowAlignment * Self.windowAlignment
        let length = min(aligned, fileSize - alignedOffset)
        guard let base = self.mapAligned(length: length, fileOffset: alignedOffset) else {
            // Go on by copying from here: read(2) must start where lending stopped.
            _ = lseek(self.fileDescriptor, off_t(offset), SEEK_SET)
            return nil
        }
        _ = madvise(base, length, MADV_SEQUENTIAL)
        self.mapping = (base, length)
        let skip = offset - alignedOffset
        return UnsafeRawBufferPointer(start: base + skip, count: length - skip)
    }

    /// Where windows start, in the file and in memory: the size of an x86-64 or arm64 huge page.
    static let windowAlignment = 2 << 20

    /// Maps `length` bytes of the file from `fileOffset` (a multiple of ``windowAlignment``) at an address
    /// that is a multiple of it too; `nil` when the file cannot be mapped.
    private func mapAligned(length: Int, fileOffset: Int) -> UnsafeMutableRawPointer? {
        let alignment = Self.windowAlignment
        let pages = (length + self.pageSize - 1) / self.pageSize * self.pageSize
        // Reserve room for the window plus the slide to an aligned start, map the file over that start,
        // and give back the reserved space on either side.
        let reserved = mmap(nil, pages + alignment, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let reserved, reserved != MAP_FAILED else { return nil }
        let slide = (alignment - Int(bitPattern: reserved) % alignment) % alignment
        let start = reserved + slide
        let base = mmap(start, length, PROT_READ, MAP_PRIVATE | MAP_FIXED, self.fileDescriptor, off_t(fileOffset))
        guard let base, base != MAP_FAILED else {
            munmap(reserved, pages + alignment)
            return nil
        }
        if slide > 0 { munmap(reserved, slide) }
        munmap(start + pages, alignment - slide)
        return base
    }

    private func unmap() {
        if let mapping = self.mapping {
            munmap(mapping.base, mapping.length)
            self.mapping = nil
        }
    }
}

/// `read(2)`, named apart from ``FileDescriptorSource/read(into:)``.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #elseif canImport(Musl)
    Musl.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}
