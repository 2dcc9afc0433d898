/// Everything ResetLab knows about network errors, indexed for lookup by id, name, number and message.
public struct Catalog: Sendable {
    /// Every condition, in catalog order.
    public let conditions: [Condition]

    private let indexByID: [String: Int]
    private let indexByName: [String: [CodeReference]]
    private let indexByValue: [Int64: [CodeReference]]

    /// Every runtime message, ready for case-insensitive substring search.
    public let messagePatterns: [MessagePattern]

    /// Builds the indexes over a list of conditions. Call ``validate()`` to check the list is consistent.
    public init(conditions: [Condition]) {
        self.conditions = conditions
        var byID: [String: Int] = [:]
        var byName: [String: [CodeReference]] = [:]
        var byValue: [Int64: [CodeReference]] = [:]
        var patterns: [MessagePattern] = []
        for (index, condition) in conditions.enumerated() {
            byID[condition.id] = byID[condition.id] ?? index
            for code in condition.codes {
                let reference = CodeReference(conditionIndex: index, code: code)
                for key in Self.lookupKeys(forName: code.name) {
                    byName[key, default: []].append(reference)
                }
                byValue[code.value, default: []].append(reference)
            }
            for message in condition.messages {
                patterns.append(MessagePattern(conditionIndex: index, message: message))
            }
        }
        self.indexByID = byID
        self.indexByName = byName
        self.indexByValue = byValue
        self.messagePatterns = patterns
    }

    /// The condition with this id, if any.
    public func condition(id: String) -> Condition? {
        self.indexByID[id].map { self.conditions[$0] }
    }

    /// The position of the condition with this id in ``conditions``.
    public func conditionIndex(id: String) -> Int? {
        self.indexByID[id]
    }

    /// Codes whose name matches, ignoring case. `.NET` members are found by `SocketError.Member` and by `Member`.
    public func codes(named name: String) -> [CodeReference] {
        self.indexByName[Self.normalizedName(name)] ?? []
    }

    /// Codes with this numeric value, in any namespace.
    public func codes(value: Int64) -> [CodeReference] {
        self.indexByValue[value] ?? []
    }

    /// Every name that ``codes(named:)`` answers, normalized, for suggestions.
    public var codeNameKeys: Dictionary<String, [CodeReference]>.Keys {
        self.indexByName.keys
    }

    /// Every numeric value that ``codes(value:)`` answers.
    public var codeValues: Dictionary<Int64, [CodeReference]>.Keys {
        self.indexByValue.keys
    }

    /// The key a name is stored under: upper-cased ASCII.
    public static func normalizedName(_ name: String) -> String {
        String(decoding: name.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
    }

    private static func lookupKeys(forName name: String) -> [String] {
        var keys = [Self.normalizedName(name)]
        if name.hasPrefix("SocketError.") {
            keys.append(Self.normalizedName(String(name.dropFirst("SocketError.".count))))
        }
        return keys
    }
}

/// A code together with the condition it belongs to.
public struct CodeReference: Sendable, Hashable {
    /// The condition's position in ``Catalog/conditions``.
    public var conditionIndex: Int
    public var code: ErrorCode
}

/// A runtime message prepared for fast case-insensitive search.
public struct MessagePattern: Sendable, Hashable {
    /// The condition's position in ``Catalog/conditions``.
    public var conditionIndex: Int
    public var message: RuntimeMessage
    /// The message text as lower-cased ASCII bytes.
    public var needle: [UInt8]

    public init(conditionIndex: Int, message: RuntimeMessage) {
        self.conditionIndex = conditionIndex
        self.message = message
        self.needle = message.text.utf8.map(ASCII.lowercased)
    }
}

/// Byte-level ASCII helpers shared by the catalog and the matcher.
public enum ASCII {
    /// The byte lower-cased if it is an ASCII capital letter, otherwise unchanged.
    @inlinable
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
}
