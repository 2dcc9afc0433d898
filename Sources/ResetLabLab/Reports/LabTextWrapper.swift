/// Splits prose into lines no longer than a width, for the lab's plain-text reports.
///
/// Words longer than the width are broken, after a hyphen or slash when there is one, so that no line is
/// ever wider than asked; explicit newlines in the text start new lines. A no-break space (U+00A0) keeps
/// the words around it on one line when they fit, and is printed as a plain space.
struct LabTextWrapper: Sendable {
    static let noBreakSpace: Character = "\u{00A0}"

    /// The widest a line may be, in characters.
    var width: Int

    init(width: Int) {
        self.width = max(1, width)
    }

    /// The lines of `text`, none longer than ``width``; an empty text gives one empty line.
    func lines(_ text: String) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var words: [Substring] = []
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                words += word.count > self.width ? word.split(separator: Self.noBreakSpace) : [word]
            }
            for word in words {
                if !line.isEmpty, line.count + 1 + word.count <= self.width {
                    line += " " + word
                    continue
                }
                if !line.isEmpty {
                    lines.append(line)
                }
                var rest = word
                while rest.count > self.width {
                    let piece = self.piece(of: rest)
                    lines.append(String(piece))
                    rest = rest.dropFirst(piece.count)
                }
                line = String(rest)
            }
            lines.append(line)
        }
        return lines.map { String($0.map { $0 == Self.noBreakSpace ? " " : $0 }) }
    }

    /// `text` wrapped to ``width``, with `firstIndent` before the first line and `indent` before the others
    /// (both counted in the width).
    func wrap(_ text: String, firstIndent: String = "", indent: String = "") -> String {
        let narrower = LabTextWrapper(width: self.width - max(firstIndent.count, indent.count))
        return narrower.lines(text).enumerated()
            .map { ($0.offset == 0 ? firstIndent : indent) + $0.element }
            .joined(separator: "\n")
    }

    /// The head of an over-long word that fits the width, cut after its last hyphen or slash if possible.
    private func piece(of word: Substring) -> Substring {
        let head = word.prefix(self.width)
        if let cut = head.lastIndex(where: { $0 == "-" || $0 == "/" }), cut != head.startIndex {
            return head[...cut]
        }
        return head
    }
}
