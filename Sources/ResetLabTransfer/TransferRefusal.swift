/// REFUSE: the receiver will not take (or keep taking) the file. Payload: `code: UInt8,
/// reasonLength: UInt16, reason: UTF-8`.
public struct TransferRefusal: Sendable, Equatable, CustomStringConvertible {
    /// Why, as a machine-readable code.
    public enum Code: UInt8, Sendable, Equatable {
        /// The name breaks the receiver's rules (path components, control characters, too long...).
        case invalidName = 1
        /// Another sender is sending a file of this name right now.
        case busy = 2
        /// NAME.part (or its state file) is a symbolic link, a hard link or not a regular file.
        case unsafePath = 3
        /// The receiver cannot write (disk full, permissions...).
        case storage = 4
        /// The sender speaks another version of the protocol.
        case unsupportedVersion = 5
        /// Any code this version does not know.
        case other = 255
    }

    public var code: Code
    /// The receiver's explanation, for a person.
    public var reason: String

    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { self.reason }

    func encodePayload(into writer: inout ByteWriter) {
        let reason = Array(self.reason.utf8.prefix(TransferLimits.maximumControlPayload - 3))
        writer.write(self.code.rawValue)
        writer.write(UInt16(reason.count))
        writer.write(contentsOf: reason)
    }

    static func decode(payload: [UInt8]) throws(TransferProtocolError) -> TransferRefusal {
        var reader = ByteReader(payload)
        guard let code = reader.readUInt8(), let length = reader.readUInt16(),
            let reason = reader.readBytes(Int(length)), reader.remaining == 0
        else { throw .malformed(type: .refuse, reason: "its length fields do not add up") }
        return TransferRefusal(code: Code(rawValue: code) ?? .other, reason: String(decoding: reason, as: UTF8.self))
    }
}
