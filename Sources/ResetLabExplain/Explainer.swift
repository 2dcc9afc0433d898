import ResetLabCatalog

/// Turns any pasted error (a number, a name, a message, a whole log line) into ranked catalog matches.
///
/// Ranking adds up evidence per condition: an exact name counts most, then a number in an error context
/// (weighted by how likely its platform is, and by hints such as `[WinError …]` or `curl: (…)`), then
/// runtime messages (longer, more specific texts count more). Ties go to conditions with deep guidance.
public struct Explainer: Sendable {
    public let catalog: Catalog
    private let scanner: InputScanner

    /// The most input ``explain(_:platform:)`` reads; longer input is cut here.
    public static let maximumInputBytes = 1 << 20

    public init(catalog: Catalog) {
        self.catalog = catalog
        self.scanner = InputScanner(catalog: catalog)
    }

    /// Explains a piece of text.
    /// - Parameters:
    ///   - input: A number, a name, a message or a whole log line.
    ///   - platform: Only keep readings that belong to this platform (curl's codes always stay).
    /// - Returns: The ranked matches, or suggestions when nothing matched.
    public func explain(_ input: String, platform: Platform? = nil) -> Explanation {
        let text = input.utf8.count > Self.maximumInputBytes
            ? String(decoding: input.utf8.prefix(Self.maximumInputBytes), as: UTF8.self) : input
        var tally = Tally()
        for clue in self.scanner.scan(text) {
            self.weigh(clue, platform: platform, into: &tally)
        }
        let matches = tally.ranked(catalog: self.catalog)
        let suggestions = matches.isEmpty ? Suggester(catalog: self.catalog).suggestions(for: text, platform: platform) : []
        return Explanation(input: text, platform: platform, matches: matches, suggestions: suggestions)
    }

    // MARK: Weighing clues

    private func weigh(_ clue: Clue, platform: Platform?, into tally: inout Tally) {
        switch clue.kind {
        case .name(let name):
            for reference in self.catalog.codes(named: name) where Self.allows(reference.code.namespace, platform) {
                let label = name == reference.code.name
                    ? "\(name) is \(Self.describeValue(reference.code))" : "\(name) is \(Self.describe(reference.code))"
                tally.add(reference.conditionIndex, clue: clue, weight: 10, code: reference.code, evidence: label)
            }
        case .number(let value, let text, let context):
            self.weighNumber(value, text: text, context: context, clue: clue, platform: platform, into: &tally)
        case .message(let patternIndex, let contained):
            let pattern = self.catalog.messagePatterns[patternIndex]
            let weight = (6 + min(Double(pattern.needle.count) / 10, 4)) * (contained ? 0.5 : 1)
            let evidence = "\"\(pattern.message.text)\" is what \(pattern.message.runtimeDisplayName) prints"
            tally.add(pattern.conditionIndex, clue: clue, weight: weight, code: nil, evidence: evidence)
        case .conditionID(let index):
            let evidence = "\"\(self.catalog.conditions[index].id)\" is a condition id"
            tally.add(index, clue: clue, weight: 20, code: nil, evidence: evidence)
        case .phrase(let phrase):
            let needle = Array(phrase.utf8)
            for pattern in self.catalog.messagePatterns where pattern.needle.count > needle.count {
                guard ByteSearch.contains(pattern.needle, needle) else { continue }
                let evidence = "\"\(phrase)\" is part of \(pattern.message.runtimeDisplayName)'s \"\(pattern.message.text)\""
                tally.add(pattern.conditionIndex, clue: clue, weight: 4, code: nil, evidence: evidence)
            }
            for (index, condition) in self.catalog.conditions.enumerated() {
                let title = Array(condition.title.utf8.map(ASCII.lowercased))
                guard ByteSearch.contains(title, needle) else { continue }
                tally.add(index, clue: clue, weight: 5, code: nil, evidence: "\"\(phrase)\" is in the title \"\(condition.title)\"")
            }
        }
    }

    private func weighNumber(
        _ value: Int64,
        text: String,
        context: NumberContext,
        clue: Clue,
        platform: Platform?,
        into tally: inout Tally
    ) {
        var base: Double = context.isWholeInput || context.keyword != nil ? 8 : 5
        var hints = context.hints
        var readings: [(code: ErrorCode, conditionIndex: Int, note: String?)] = []
        var lookup = value
        if value < 0 {
            if value <= -65_536 {
                lookup = value + 0x1_0000_0000  // A signed HRESULT, as .NET prints it.
                hints = [.hresult]
            } else {
                lookup = -value  // libuv (Node.js) reports errno negated: -104 is ECONNRESET.
                hints = hints.union([.linux, .macos, .freebsd])
            }
        }
        for reference in self.catalog.codes(value: lookup) {
            readings.append((reference.code, reference.conditionIndex, nil))
        }
        // HRESULT_FROM_WIN32: 0x8007xxxx wraps Win32 error xxxx, which may be a Winsock code.
        if lookup >= 0x8007_0000, lookup <= 0x8007_FFFF {
            let win32 = lookup & 0xFFFF
            for reference in self.catalog.codes(value: win32) where reference.code.namespace == .winsock {
                readings.append((reference.code, reference.conditionIndex, "HRESULT_FROM_WIN32(\(win32))"))
            }
            base = max(base, 8)
        }
        // A 32-bit HRESULT cannot appear by coincidence: it counts as much as a name.
        if lookup >= 0x8000_0000 { base = 10 }
        for reading in readings where Self.allows(reading.code.namespace, platform) {
            // An HRESULT lookup only makes sense for HRESULT-sized numbers, and vice versa.
            if (reading.code.namespace == .hresult) != (lookup >= 0x8000_0000) && reading.note == nil { continue }
            let prior = Self.prior(reading.code.namespace, hints: hints)
            guard prior > 0 else { continue }
            var evidence = "\(text) is \(Self.describe(reading.code))"
            if let note = reading.note { evidence = "\(text) is \(note) = \(Self.describe(reading.code))" }
            tally.add(reading.conditionIndex, clue: clue, weight: base * prior, code: reading.code, evidence: evidence)
        }
    }

    /// How likely a reading in this namespace is, before looking at the text around it.
    private static func prior(_ namespace: CodeNamespace, hints: Set<CodeNamespace>) -> Double {
        // `curl: (N)` says exactly whose number it is.
        if hints == [.curl] { return namespace == .curl ? 1 : 0 }
        if !hints.isEmpty {
            if hints.contains(namespace) { return 1 }
            if namespace == .dotnet, hints.contains(.winsock) { return 0.9 }
            return 0.3
        }
        switch namespace {
        case .linux, .winsock, .hresult: return 1
        case .macos: return 0.8
        case .freebsd: return 0.7
        case .dotnet: return 0.6
        case .curl: return 0.6
        }
    }

    private static func allows(_ namespace: CodeNamespace, _ platform: Platform?) -> Bool {
        guard let platform, let owner = namespace.platform else { return true }
        return owner == platform
    }

    /// "54 on macOS", "10054 in Winsock", "HRESULT 0x800CCC0E", …
    static func describeValue(_ code: ErrorCode) -> String {
        guard let place = Self.place(code.namespace) else { return "HRESULT \(code.formattedValue)" }
        return "\(code.formattedValue) \(place)"
    }

    /// "ECONNRESET (54) on macOS", "WSAECONNRESET (10054) in Winsock", "IXP_E_… (HRESULT 0x800CCC0E)", …
    static func describe(_ code: ErrorCode) -> String {
        guard let place = Self.place(code.namespace) else { return "\(code.name) (HRESULT \(code.formattedValue))" }
        return "\(code.name) (\(code.formattedValue)) \(place)"
    }

    /// Where a number lives, as words after it; `nil` for HRESULTs, which are named before the number.
    private static func place(_ namespace: CodeNamespace) -> String? {
        switch namespace {
        case .winsock: "in Winsock"
        case .linux, .macos, .freebsd: "on \(namespace.displayName)"
        case .dotnet: "in .NET"
        case .curl: "in curl"
        case .hresult: nil
        }
    }
}

/// Evidence gathered per condition while weighing clues.
private struct Tally {
    private struct Entry {
        var clueWeights: [Clue: Double] = [:]
        var codes: [ErrorCode] = []
        var evidence: [String] = []
        var firstOffset = Int.max
    }

    private var entries: [Int: Entry] = [:]

    /// Records evidence; one clue counts once per condition, with its strongest reading.
    mutating func add(_ conditionIndex: Int, clue: Clue, weight: Double, code: ErrorCode?, evidence: String) {
        var entry = self.entries[conditionIndex] ?? Entry()
        entry.clueWeights[clue] = max(entry.clueWeights[clue] ?? 0, weight)
        if let code, !entry.codes.contains(code) { entry.codes.append(code) }
        if !entry.evidence.contains(evidence) { entry.evidence.append(evidence) }
        entry.firstOffset = min(entry.firstOffset, clue.offset)
        self.entries[conditionIndex] = entry
    }

    func ranked(catalog: Catalog) -> [ExplanationMatch] {
        self.entries
            .map { index, entry in
                (index, entry, entry.clueWeights.values.reduce(0, +))
            }
            .sorted { lhs, rhs in
                if lhs.2 != rhs.2 { return lhs.2 > rhs.2 }
                let lhsDeep = catalog.conditions[lhs.0].depth == .deep
                let rhsDeep = catalog.conditions[rhs.0].depth == .deep
                if lhsDeep != rhsDeep { return lhsDeep }
                return lhs.0 < rhs.0
            }
            .map { index, entry, score in
                ExplanationMatch(
                    condition: catalog.conditions[index],
                    score: score,
                    matchedCodes: entry.codes,
                    evidence: entry.evidence
                )
            }
    }
}
