/// Cuts a byte stream into ``TransferMessage``s, whatever pieces the stream arrives in.
///
/// Follows NIO's convention: ``next()`` returns `nil` when more bytes are needed and throws when the bytes
/// cannot be a frame. A header's length is checked against its type's limit as soon as the five header
/// bytes are in, before the payload is waited for or allocated.
public struct TransferFrameParser: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// Bytes received but not yet returned as messages.
    public var bufferedCount: Int { self.buffer.count - self.start }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if self.start > 0 && self.start * 2 >= self.buffer.count {
            self.buffer.removeFirst(self.start)
            self.start = 0
        }
        self.buffer.append(contentsOf: bytes)
    }

    /// The next complete message, or `nil` when more bytes are needed.
    /// - Throws: ``TransferProtocolError`` for an unknown type, an oversized length or a malformed payload.
    public mutating func next() throws(TransferProtocolError) -> TransferMessage? {
        guard self.bufferedCount >= TransferFrameHeader.size else { return nil }
        let headerEnd = self.start + TransferFrameHeader.size
        let header = try TransferFrameHeader(decoding: self.buffer[self.start..<headerEnd])
        guard self.buffer.count - headerEnd >= header.length else { return nil }
        let payload = Array(self.buffer[headerEnd..<headerEnd + header.length])
        self.start = headerEnd + header.length
        return try TransferMessage.decode(header, payload: payload)
    }
}
