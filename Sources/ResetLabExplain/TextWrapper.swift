/// Wraps prose to a terminal width, keeping a hanging indent for continuation lines.
struct TextWrapper: Sendable {
    var width: Int

    /// Wraps `text` so that no line is longer than ``width`` (unless a single word is).
    /// - Parameters:
    ///   - text: The prose to wrap.
    ///   - firstIndent: Printed before the first line.
    ///   - indent: Printed before every following line.
    func wrap(_ text: String, firstIndent: String, indent: String) -> String {
        var lines: [String] = []
        var line = firstIndent
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if lineHasWord, line.count + 1 + word.count > self.width {
                lines.append(line)
                line = indent
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
