import CResetLabDigest

/// A SHA-256 digest: 32 bytes, shown as lowercase hex.
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
    /// A digest's size on the wire.
    public static let byteCount = 32

    /// The digest's bytes (always ``byteCount`` of them).
    public let bytes: [UInt8]

    /// Wraps `bytes`, or `nil` when there are not exactly ``byteCount`` of them.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Wraps the output of a hash function, which is ``byteCount`` bytes by construction.
    init(computed bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Lowercase hex, as `sha256sum` prints it.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in self.bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public var description: String { self.hex }
}

/// An incremental SHA-256 (the system's libcrypto, SHA-NI where the CPU has it). Not thread-safe: one
/// owner feeds it, in order.
public final class SHA256Hasher {
    private var state: OpaquePointer?
    /// How many bytes went in so far.
    public private(set) var count: UInt64 = 0

    /// A fresh computation, or `nil` when libcrypto cannot provide SHA-256.
    public init?() {
        guard let state = rl_sha256_new() else { return nil }
        self.state = state
    }

    /// Adds `bytes` to the computation.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let state = self.state, let base = bytes.baseAddress, bytes.count > 0 else { return }
        rl_sha256_update(state, base, bytes.count)
        self.count += UInt64(bytes.count)
    }

    /// The digest of everything added; the hasher is spent afterwards (later calls return the digest of
    /// nothing more: a new hasher is needed).
    public func finish() -> SHA256Digest {
        var digest = [UInt8](repeating: 0, count: SHA256Digest.byteCount)
        if let state = self.state {
            digest.withUnsafeMutableBufferPointer { rl_sha256_finish(state, $0.baseAddress) }
            self.state = nil
        }
        return SHA256Digest(computed: digest)
    }

    deinit {
        if let state = self.state { rl_sha256_free(state) }
    }
}

@available(*, unavailable)
extension SHA256Hasher: Sendable {}
