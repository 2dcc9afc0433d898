/// A plain-text table whose cells wrap inside their column, so that every line fits a given width.
///
/// Columns start as wide as their widest cell; while the table is too wide, the widest column that may wrap
/// loses one character. A row then takes as many lines as its tallest cell.
struct LabTextTable: Sendable {
    /// One column's heading and how it may be laid out.
    struct Column: Sendable {
        var header: String
        /// Whether the column may be made narrower than its widest cell (its cells then wrap).
        var wraps: Bool
        /// The narrowest a wrapping column may become.
        var minimumWidth: Int
        /// Whether cells are pushed to the right edge (for numbers).
        var alignsRight: Bool

        init(_ header: String, wraps: Bool = false, minimumWidth: Int = 6, alignsRight: Bool = false) {
            self.header = header
            self.wraps = wraps
            self.minimumWidth = minimumWidth
            self.alignsRight = alignsRight
        }
    }

    var columns: [Column]
    /// The cells, one array per row; missing cells are empty.
    var rows: [[String]]
    /// The widest any line may be.
    var width: Int
    /// Spaces between columns.
    var gap: Int = 2

    /// Each column's width once the table fits ``width``.
    ///
    /// Wrapping columns are narrowed widest first until the table fits; each is then trimmed to its widest
    /// wrapped line, and the room that frees goes to the column that still wraps the most.
    func columnWidths() -> [Int] {
        let natural = self.columns.indices.map { self.widestLine(in: $0, wrappedAt: Int.max) }
        var widths = natural
        let available = self.width - self.gap * max(0, self.columns.count - 1)
        while widths.reduce(0, +) > available {
            let candidates = widths.indices.filter {
                self.columns[$0].wraps && widths[$0] > max(1, self.columns[$0].minimumWidth)
            }
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
        }
        var widened: Set<Int> = []
        for _ in 0...self.columns.count {
            for position in widths.indices where self.columns[position].wraps {
                widths[position] = self.widestLine(in: position, wrappedAt: widths[position])
            }
            let slack = available - widths.reduce(0, +)
            let candidates = widths.indices.filter {
                self.columns[$0].wraps && widths[$0] < natural[$0] && !widened.contains($0)
            }
            guard slack > 0, let pick = candidates.max(by: { natural[$0] - widths[$0] < natural[$1] - widths[$1] })
            else { break }
            widened.insert(pick)
            widths[pick] = min(natural[pick], widths[pick] + slack)
        }
        return widths
    }

    /// The longest line of a column's cells and header when wrapped at `width` (`Int.max`: not wrapped).
    private func widestLine(in position: Int, wrappedAt width: Int) -> Int {
        let cells = self.rows.map { self.cell($0, position) } + [self.columns[position].header]
        let lines =
            width == Int.max
            ? cells.flatMap { $0.split(separator: "\n").map(String.init) }
            : cells.flatMap { LabTextWrapper(width: width).lines($0) }
        return lines.map(\.count).max() ?? 0
    }

    /// The header line and every row, as lines without trailing spaces.
    func lines(header: Bool = true) -> [String] {
        let widths = self.columnWidths()
        var lines: [String] = []
        if header {
            lines += self.render(self.columns.map(\.header), widths: widths)
        }
        for row in self.rows {
            lines += self.render(row, widths: widths)
        }
        return lines
    }

    /// Where each column starts, counted in characters from the left edge.
    func columnOffsets() -> [Int] {
        var offsets: [Int] = []
        var position = 0
        for width in self.columnWidths() {
            offsets.append(position)
            position += width + self.gap
        }
        return offsets
    }

    /// The lines one row takes.
    func render(_ row: [String], widths: [Int]) -> [String] {
        let wrapped = widths.enumerated().map { position, width in
            LabTextWrapper(width: width).lines(self.cell(row, position))
        }
        let height = wrapped.map(\.count).max() ?? 1
        let spacer = String(repeating: " ", count: self.gap)
        return (0..<height).map { lineNumber in
            let pieces = wrapped.enumerated().map { position, cellLines in
                let text = lineNumber < cellLines.count ? cellLines[lineNumber] : ""
                let padding = String(repeating: " ", count: max(0, widths[position] - text.count))
                return self.columns[position].alignsRight ? padding + text : text + padding
            }
            return Self.trimmingTrailingSpaces(pieces.joined(separator: spacer))
        }
    }

    private func cell(_ row: [String], _ position: Int) -> String {
        position < row.count ? row[position] : ""
    }

    static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = Substring(line)
        while line.last == " " {
            line = line.dropLast()
        }
        return String(line)
    }
}
