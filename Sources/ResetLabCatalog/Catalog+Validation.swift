extension Catalog {
    /// Checks the catalog for the mistakes a parser cannot see: duplicate ids, names or messages,
    /// cross-references that lead nowhere, deep entries missing guidance, and malformed codes.
    /// - Returns: Every problem found; empty when the catalog is consistent.
    public func validate() -> [CatalogError] {
        var problems: [CatalogError] = []
        func problem(_ message: String) {
            problems.append(CatalogError(file: "catalog", line: 0, message: message))
        }
        var seenIDs: Set<String> = []
        var seenCodes: [String: String] = [:]
        var seenMessages: [String: String] = [:]
        for condition in self.conditions {
            if !seenIDs.insert(condition.id).inserted {
                problem("condition id '\(condition.id)' is used twice")
            }
            if !Self.isWellFormedID(condition.id) {
                problem("condition id '\(condition.id)' must be lower-case words joined by '-'")
            }
            if condition.title.count > 60 {
                problem("'\(condition.id)': title is longer than 60 characters")
            }
            if condition.depth == .deep {
                if condition.wire == nil { problem("'\(condition.id)': deep entry has no Wire") }
                if condition.actor == nil { problem("'\(condition.id)': deep entry has no Actor") }
                if condition.causes.isEmpty { problem("'\(condition.id)': deep entry has no Causes") }
                if condition.confirm.isEmpty { problem("'\(condition.id)': deep entry has no Confirm") }
                if condition.fix.isEmpty { problem("'\(condition.id)': deep entry has no Fix") }
            }
            for code in condition.codes {
                let key = "\(code.namespace.rawValue) \(code.name)"
                if let other = seenCodes[key] {
                    problem("code '\(key)' appears in '\(other)' and again in '\(condition.id)'")
                }
                seenCodes[key] = condition.id
                problems += Self.formatProblems(code, in: condition.id).map {
                    CatalogError(file: "catalog", line: 0, message: $0)
                }
            }
            for message in condition.messages {
                let key = String(decoding: message.text.utf8.map(ASCII.lowercased), as: UTF8.self)
                if let other = seenMessages[key], other != condition.id {
                    problem("message '\(message.text)' is on both '\(other)' and '\(condition.id)'")
                }
                seenMessages[key] = condition.id
            }
            for reference in condition.seeAlso where self.condition(id: reference) == nil {
                problem("'\(condition.id)': See-Also '\(reference)' is not a condition")
            }
        }
        return problems
    }

    private static func isWellFormedID(_ id: String) -> Bool {
        !id.isEmpty && !id.hasPrefix("-") && !id.hasSuffix("-")
            && id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    /// Namespace-specific rules for names and numbers.
    private static func formatProblems(_ code: ErrorCode, in id: String) -> [String] {
        var problems: [String] = []
        switch code.namespace {
        case .winsock:
            if !code.name.hasPrefix("WSA") { problems.append("'\(id)': Winsock name '\(code.name)' lacks the WSA prefix") }
        case .linux, .macos, .freebsd:
            if !code.name.hasPrefix("E") { problems.append("'\(id)': errno name '\(code.name)' must start with E") }
            if code.value <= 0 || code.value > 200 { problems.append("'\(id)': errno \(code.name) = \(code.value) is out of range") }
        case .dotnet:
            if !code.name.hasPrefix("SocketError.") { problems.append("'\(id)': .NET name '\(code.name)' must be SocketError.Member") }
        case .curl:
            if !code.name.hasPrefix("CURLE_") { problems.append("'\(id)': curl name '\(code.name)' must start with CURLE_") }
        case .hresult:
            if code.value < 0x8000_0000 || code.value > 0xFFFF_FFFF {
                problems.append("'\(id)': HRESULT \(code.name) must be an error HRESULT (0x80000000-0xFFFFFFFF)")
            }
        }
        return problems
    }
}
