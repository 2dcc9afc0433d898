/// A reply in the three-digit style SMTP and FTP share: `250 OK`, or several lines `250-first` … `250 last`
/// (FTP also allows free text between `123-` and `123 `).
public struct ServerReply: Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    /// Each line's text after the code and its separator.
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// The first line, as a person would quote it: `421 Too many connections`.
    public var description: String { "\(self.code) \(self.lines.first ?? "")" }

    /// 2xx and 3xx.
    public var isPositive: Bool { (200..<400).contains(self.code) }
}

/// Assembles ``ServerReply`` values from lines; `nil` until a reply is complete.
public struct ServerReplyParser: Sendable {
    private var code: Int?
    private var lines: [String] = []

    public init() {}

    /// Takes one line (without CR LF). Returns the reply it completes, if any.
    /// - Throws: ``ProbeProtocolError`` when a reply starts with something other than a three-digit code.
    public mutating func feed(_ line: String) throws -> ServerReply? {
        let bytes = Array(line.utf8)
        let lineCode = Self.code(of: bytes)
        if let code = self.code {
            if let lineCode, lineCode == code, bytes.count == 3 || bytes[3] == UInt8(ascii: " ") {
                self.lines.append(Self.text(after: bytes))
                defer { self.reset() }
                return ServerReply(code: code, lines: self.lines)
            }
            self.lines.append(lineCode == code ? Self.text(after: bytes) : line)
            return nil
        }
        guard let lineCode else {
            throw ProbeProtocolError("expected a reply starting with a three-digit code, got \"\(line.prefix(80))\"")
        }
        if bytes.count > 3 && bytes[3] == UInt8(ascii: "-") {
            self.code = lineCode
            self.lines = [Self.text(after: bytes)]
            return nil
        }
        return ServerReply(code: lineCode, lines: [Self.text(after: bytes)])
    }

    private mutating func reset() {
        self.code = nil
        self.lines = []
    }

    private static func code(of bytes: [UInt8]) -> Int? {
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (48...57).contains($0) }) else { return nil }
        if bytes.count > 3 && bytes[3] != UInt8(ascii: " ") && bytes[3] != UInt8(ascii: "-") { return nil }
        return Int(bytes[0] - 48) * 100 + Int(bytes[1] - 48) * 10 + Int(bytes[2] - 48)
    }

    private static func text(after bytes: [UInt8]) -> String {
        bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : ""
    }
}

/// A server said something the protocol does not allow.
public struct ProbeProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
