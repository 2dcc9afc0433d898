import ResetLabCatalog

/// Finds the nearest things the catalog knows when the input matched nothing: names within a small edit
/// distance of a word in the input, and the known codes closest to a number in it.
struct Suggester: Sendable {
    let catalog: Catalog

    /// At most this many words of the input are compared, so 100 KB of noise stays fast.
    private static let maximumWords = 64
    private static let maximumSuggestions = 5

    func suggestions(for input: String, platform: Platform?) -> [String] {
        var suggestions: [String] = []
        for word in Self.words(in: input) {
            if let number = InputScanner.parseNumber(word) {
                suggestions += self.nearestNumbers(to: number, platform: platform)
            } else {
                suggestions += self.nearestNames(to: word)
            }
            if suggestions.count >= Self.maximumSuggestions { break }
        }
        var seen: Set<String> = []
        return suggestions.filter { seen.insert($0).inserted }.prefix(Self.maximumSuggestions).map { $0 }
    }

    /// Distinct words of 2 to 40 characters, in input order.
    private static func words(in input: String) -> [String] {
        var seen: Set<Substring> = []
        var words: [String] = []
        let separators: Set<Character> = [" ", "\t", "\n", "\r", ",", ";", ":", "(", ")", "[", "]", "'", "\"", "="]
        for word in input.split(whereSeparator: { separators.contains($0) }) where (2...40).contains(word.count) {
            guard seen.insert(word).inserted else { continue }
            words.append(String(word))
            if words.count == Self.maximumWords { break }
        }
        return words
    }

    private func nearestNames(to word: String) -> [String] {
        let key = Catalog.normalizedName(word)
        guard key.count >= 3 else { return [] }
        let limit = max(1, key.count / 4)
        let target = Array(key.utf8)
        var best: [(name: String, distance: Int)] = []
        for candidate in self.catalog.codeNameKeys where abs(candidate.utf8.count - target.count) <= limit {
            let distance = Self.editDistance(target, Array(candidate.utf8), limit: limit)
            if distance <= limit, let reference = self.catalog.codes(named: candidate).first {
                best.append((reference.code.name, distance))
            }
        }
        return best.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.prefix(3).map(\.name)
    }

    private func nearestNumbers(to number: Int64, platform: Platform?) -> [String] {
        let candidates = self.catalog.codeValues.filter { value in
            value != number && abs(value - number) <= max(5, abs(number) / 100)
        }
        return candidates.sorted { abs($0 - number) < abs($1 - number) }.prefix(2).compactMap { value in
            self.catalog.codes(value: value).first { reference in
                guard let platform, let owner = reference.code.namespace.platform else { return true }
                return owner == platform
            }.map { "\($0.code.formattedValue) (\($0.code.name))" }
        }
    }

    /// Levenshtein distance, giving up early (returning `limit + 1`) once it must exceed `limit`.
    static func editDistance(_ lhs: [UInt8], _ rhs: [UInt8], limit: Int) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for i in 1...lhs.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...rhs.count {
                let substitution = previous[j - 1] + (lhs[i - 1] == rhs[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }
}
