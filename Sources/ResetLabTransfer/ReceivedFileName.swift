/// A file name the receiver accepts: one plain name inside its directory, never a path.
///
/// Rules, checked in this order: not empty; not `.` or `..`; no `/` or `\`; no NUL, no control
/// characters (C0, DEL, C1); at most ``maximumBytes`` bytes of UTF-8 (so that `NAME.part.state` still
/// fits the file system's 255-byte limit); not ending in `.part` or `.part.state`, which are the
/// receiver's own partial files.
public struct ReceivedFileName: Sendable, Hashable, CustomStringConvertible {
    /// The longest accepted name, in bytes of UTF-8.
    public static let maximumBytes = 200
    /// The suffix of a partial file: `NAME.part` until the whole file is verified.
    public static let partialSuffix = ".part"
    /// The suffix of a partial file's state: `NAME.part.state` (identity and verified offset).
    public static let stateSuffix = ".part.state"

    /// The name itself.
    public let name: String

    /// Checks `name` against the rules.
    /// - Throws: ``FileNameError`` naming the broken rule.
    public init(validating name: String) throws(FileNameError) {
        if name.isEmpty { throw .empty }
        if name == "." || name == ".." { throw .dotName(name) }
        for scalar in name.unicodeScalars {
            switch scalar.value {
            case 0: throw .nul
            case 0x2F, 0x5C: throw .pathSeparator(Character(scalar))
            case 0x01...0x1F, 0x7F, 0x80...0x9F: throw .controlCharacter(scalar.value)
            default: continue
            }
        }
        let length = name.utf8.count
        if length > Self.maximumBytes { throw .tooLong(bytes: length, limit: Self.maximumBytes) }
        if name.hasSuffix(Self.partialSuffix) || name.hasSuffix(Self.stateSuffix) { throw .reservedSuffix(name) }
        self.name = name
    }

    /// The partial file's name: `NAME.part`.
    public var partialName: String { self.name + Self.partialSuffix }
    /// The partial file's state: `NAME.part.state`.
    public var stateName: String { self.name + Self.stateSuffix }

    public var description: String { self.name }
}

/// Why a name was refused; the description says what to do instead.
public enum FileNameError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case dotName(String)
    case pathSeparator(Character)
    case nul
    case controlCharacter(UInt32)
    case tooLong(bytes: Int, limit: Int)
    case reservedSuffix(String)

    public var description: String {
        switch self {
        case .empty:
            "the file name is empty"
        case .dotName(let name):
            "'\(name)' is not a file name"
        case .pathSeparator(let separator):
            "the name contains '\(separator)': only a plain file name is accepted, never a path (the receiver saves into its own directory)"
        case .nul:
            "the name contains a NUL byte"
        case .controlCharacter(let value):
            "the name contains the control character U+\(String(value, radix: 16, uppercase: true))"
        case .tooLong(let bytes, let limit):
            "the name is \(bytes) bytes long; the limit is \(limit)"
        case .reservedSuffix(let name):
            "'\(name)' ends in .part or .part.state, which the receiver keeps for partial files; rename it"
        }
    }
}
