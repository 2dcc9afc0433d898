#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over bytes: `memchr` finds each candidate first byte, `memcmp` checks the rest.
enum ByteSearch {
    /// The offset of the first occurrence of `needle` in `haystack`, or `nil`.
    static func firstOffset(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let needleBase = needle.baseAddress, let base = haystack.baseAddress, needle.count > 0,
            haystack.count >= needle.count
        else { return nil }
        let first = Int32(needle[0])
        let lastStart = haystack.count - needle.count
        var offset = 0
        while offset <= lastStart {
            guard let found = memchr(base + offset, first, lastStart - offset + 1) else { return nil }
            let position = base.distance(to: UnsafeRawPointer(found))
            if memcmp(base + position, needleBase, needle.count) == 0 { return position }
            offset = position + 1
        }
        return nil
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { self.firstOffset(of: $0, in: hay) != nil }
        }
    }
}
