/// Reads the catalog text format (see `docs/catalog-format.md`) into ``Condition`` values.
///
/// The format is a small relative of Debian's control files: stanzas separated by blank lines,
/// `Field: value` lines, continuation lines that start with one space, `#` comments in column 0.
public struct CatalogParser: Sendable {
    /// Fields whose continuation lines are separate items rather than more words of one text.
    private static let listFields: Set<String> = ["Codes", "Messages", "Causes", "Confirm", "Fix"]

    /// Every field the format knows.
    private static let knownFields: Set<String> = listFields.union([
        "Condition", "Title", "Depth", "Summary", "Wire", "Actor", "Filter", "Lab", "Probe", "See-Also",
    ])

    public init() {}

    /// Parses one catalog file.
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - file: The file's name, used in error messages.
    /// - Returns: The conditions in file order.
    /// - Throws: ``CatalogError`` naming the line of the first problem.
    public func parse(_ text: String, file: String) throws(CatalogError) -> [Condition] {
        var conditions: [Condition] = []
        var stanza = Stanza()
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine[...]
            if line.first == "#" { continue }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !stanza.isEmpty {
                    conditions.append(try self.condition(from: stanza, file: file))
                    stanza = Stanza()
                }
                continue
            }
            if line.first == " " || line.first == "\t" {
                guard let last = stanza.fields.indices.last else {
                    throw CatalogError(file: file, line: lineNumber, message: "continuation line before any field")
                }
                stanza.fields[last].lines.append(String(line.drop { $0 == " " || $0 == "\t" }))
                stanza.fields[last].lineNumbers.append(lineNumber)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw CatalogError(file: file, line: lineNumber, message: "expected 'Field: value', got '\(line)'")
            }
            let name = String(line[..<colon])
            guard Self.knownFields.contains(name) else {
                throw CatalogError(file: file, line: lineNumber, message: "unknown field '\(name)'")
            }
            if stanza.fields.contains(where: { $0.name == name }) {
                throw CatalogError(file: file, line: lineNumber, message: "field '\(name)' appears twice in one stanza")
            }
            if stanza.isEmpty { stanza.firstLine = lineNumber }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            stanza.fields.append(
                Field(
                    name: name,
                    lines: value.isEmpty ? [] : [String(value)],
                    lineNumbers: value.isEmpty ? [] : [lineNumber]
                )
            )
        }
        if !stanza.isEmpty {
            conditions.append(try self.condition(from: stanza, file: file))
        }
        return conditions
    }

    /// Builds one condition from a stanza, checking the fields every condition needs.
    private func condition(from stanza: Stanza, file: String) throws(CatalogError) -> Condition {
        func fail(_ message: String, line: Int = stanza.firstLine) -> CatalogError {
            CatalogError(file: file, line: line, message: message)
        }
        func required(_ name: String) throws(CatalogError) -> String {
            guard let value = stanza.text(name), !value.isEmpty else {
                throw fail("stanza has no '\(name)' field")
            }
            return value
        }
        let id = try required("Condition")
        guard let depth = Condition.Depth(rawValue: try required("Depth")) else {
            throw fail("'\(id)': Depth must be 'deep' or 'brief'")
        }
        var actor: Condition.Actor?
        if let actorText = stanza.text("Actor") {
            guard let parsed = Condition.Actor(rawValue: actorText) else {
                let allowed = Condition.Actor.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("'\(id)': Actor '\(actorText)' is not one of \(allowed)")
            }
            actor = parsed
        }
        var codes: [ErrorCode] = []
        if let field = stanza.field("Codes") {
            for (item, line) in zip(field.lines, field.lineNumbers) {
                guard let code = Self.parseCode(item) else {
                    throw fail("'\(id)': code line must be '<namespace> <NAME> <number>', got '\(item)'", line: line)
                }
                codes.append(code)
            }
        }
        var messages: [RuntimeMessage] = []
        if let field = stanza.field("Messages") {
            for (item, line) in zip(field.lines, field.lineNumbers) {
                let parts = item.split(separator: "|", maxSplits: 1)
                guard parts.count == 2 else {
                    throw fail("'\(id)': message line must be '<runtime> | <text>', got '\(item)'", line: line)
                }
                let runtime = parts[0].trimmingSpaces()
                let text = parts[1].trimmingSpaces()
                guard RuntimeMessage.knownRuntimes[runtime] != nil else {
                    throw fail("'\(id)': unknown runtime '\(runtime)' in Messages", line: line)
                }
                guard !text.isEmpty else {
                    throw fail("'\(id)': empty message text for runtime '\(runtime)'", line: line)
                }
                messages.append(RuntimeMessage(runtime: runtime, text: text))
            }
        }
        let seeAlso = Self.commaSeparated(stanza.text("See-Also"))
        return Condition(
            id: id,
            title: try required("Title"),
            depth: depth,
            summary: try required("Summary"),
            wire: stanza.text("Wire"),
            actor: actor,
            codes: codes,
            messages: messages,
            causes: stanza.field("Causes")?.lines ?? [],
            confirm: stanza.field("Confirm")?.lines ?? [],
            fix: stanza.field("Fix")?.lines ?? [],
            captureFilter: stanza.text("Filter"),
            labScenarios: Self.commaSeparated(stanza.text("Lab")),
            probeCheck: stanza.text("Probe"),
            seeAlso: seeAlso
        )
    }

    /// The items of a comma-separated field, trimmed, without empty ones.
    private static func commaSeparated(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// Parses `<namespace> <NAME> <number>`; the number is decimal, or hexadecimal with `0x`.
    static func parseCode(_ item: String) -> ErrorCode? {
        let parts = item.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, let namespace = CodeNamespace(rawValue: String(parts[0])) else { return nil }
        let numberText = parts[2]
        let value: Int64?
        if numberText.hasPrefix("0x") || numberText.hasPrefix("0X") {
            value = Int64(numberText.dropFirst(2), radix: 16)
        } else {
            value = Int64(numberText)
        }
        guard let value else { return nil }
        return ErrorCode(namespace: namespace, name: String(parts[1]), value: value)
    }
}

/// A field as read from the file, before interpretation.
private struct Field {
    var name: String
    /// The value on the field's own line (if any) followed by each continuation line.
    var lines: [String]
    /// The file line of each entry in `lines`.
    var lineNumbers: [Int]
}

/// The fields of one stanza, in file order.
private struct Stanza {
    var fields: [Field] = []
    var firstLine = 0

    var isEmpty: Bool { self.fields.isEmpty }

    func field(_ name: String) -> Field? {
        self.fields.first { $0.name == name }
    }

    /// A text field's value: its lines joined with single spaces.
    func text(_ name: String) -> String? {
        self.field(name).map { $0.lines.joined(separator: " ") }
    }
}

extension Substring {
    /// The substring without leading and trailing spaces, as a `String`.
    func trimmingSpaces() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
