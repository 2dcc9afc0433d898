import ResetLabCatalog

/// Renders an ``Explanation`` for a person at an 80-column terminal.
public struct TextReport: Sendable {
    /// How many matches are shown in full; the rest are listed in one line each. `nil` shows all.
    public var fullMatchLimit: Int?
    private let wrapper = TextWrapper(width: 79)

    public init(fullMatchLimit: Int? = 3) {
        self.fullMatchLimit = fullMatchLimit
    }

    public func render(_ explanation: Explanation) -> String {
        guard !explanation.matches.isEmpty else { return self.renderNoMatch(explanation) }
        var sections: [String] = []
        let shown = self.fullMatchLimit.map { min($0, explanation.matches.count) } ?? explanation.matches.count
        if explanation.matches.count > 1 {
            sections.append("\(explanation.matches.count) readings, most likely first.")
        }
        for (position, match) in explanation.matches.prefix(shown).enumerated() {
            sections.append(self.render(match, position: position + 1, of: explanation.matches.count))
        }
        let rest = explanation.matches.dropFirst(shown)
        if !rest.isEmpty {
            var lines = ["Less likely readings (run with --all to see them in full):"]
            for match in rest {
                let code = match.matchedCodes.first.map { " — \($0.name) \($0.formattedValue)" } ?? ""
                lines.append(self.wrapper.wrap("\(match.condition.title)\(code) [\(match.condition.id)]", firstIndent: "  - ", indent: "    "))
            }
            sections.append(lines.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    private func render(_ match: ExplanationMatch, position: Int, of count: Int) -> String {
        let condition = match.condition
        var out: [String] = []
        let number = count > 1 ? "\(position). " : ""
        out.append(Self.rule("\(number)\(condition.title)", tag: condition.id))
        for evidence in match.evidence.prefix(4) {
            out.append(self.wrapper.wrap(evidence, firstIndent: "Matched: ", indent: "         "))
        }
        if !condition.codes.isEmpty {
            out.append("")
            out.append("Names and numbers")
            out.append(contentsOf: Self.codeTable(condition.codes, matched: match.matchedCodes))
        }
        out.append("")
        out.append("What it means")
        out.append(self.wrapper.wrap(condition.summary, firstIndent: "  ", indent: "  "))
        if let wire = condition.wire {
            out.append("")
            out.append("On the wire")
            out.append(self.wrapper.wrap(wire, firstIndent: "  ", indent: "  "))
            if let actor = condition.actor {
                out.append(self.wrapper.wrap("Who acted: \(actor.sentence).", firstIndent: "  ", indent: "  "))
            }
        }
        if !condition.causes.isEmpty {
            out.append("")
            out.append("Likely causes, most likely first")
            for (index, cause) in condition.causes.enumerated() {
                out.append(self.wrapper.wrap(cause, firstIndent: "  \(index + 1). ", indent: "     "))
            }
        }
        if !condition.confirm.isEmpty || condition.captureFilter != nil || !condition.labScenarios.isEmpty
            || condition.probeCheck != nil
        {
            out.append("")
            out.append("How to confirm")
            for step in condition.confirm {
                out.append(self.wrapper.wrap(step, firstIndent: "  - ", indent: "    "))
            }
            if let filter = condition.captureFilter {
                out.append(self.wrapper.wrap("Capture: tcpdump -ni any '\(filter)'", firstIndent: "  - ", indent: "    "))
            }
            for scenario in condition.labScenarios {
                out.append("  - Reproduce: resetlab lab \(scenario)")
            }
            if let check = condition.probeCheck {
                out.append("  - Probe: resetlab probe \(check)")
            }
        }
        if !condition.fix.isEmpty {
            out.append("")
            out.append("How to fix or avoid it")
            for step in condition.fix {
                out.append(self.wrapper.wrap(step, firstIndent: "  - ", indent: "    "))
            }
        }
        if !condition.seeAlso.isEmpty {
            out.append("")
            out.append(self.wrapper.wrap(
                "See also: " + condition.seeAlso.joined(separator: ", ") + " (resetlab explain <name>)",
                firstIndent: "",
                indent: "  "
            ))
        }
        return out.joined(separator: "\n")
    }

    private func renderNoMatch(_ explanation: Explanation) -> String {
        let shown = explanation.input.count > 60 ? String(explanation.input.prefix(57)) + "..." : explanation.input
        let printable = String(shown.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        var lines = ["No match for \"\(printable)\"" + (explanation.platform.map { " on \($0.displayName)" } ?? "") + "."]
        if !explanation.suggestions.isEmpty {
            lines.append("Nearest known: " + explanation.suggestions.joined(separator: ", "))
        }
        lines.append(self.wrapper.wrap(
            "Try an error number (10054, 104, 0x800CCC0E), a name (ECONNRESET, WSAECONNABORTED) "
                + "or paste the whole error line as it was printed.",
            firstIndent: "",
            indent: ""
        ))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A heading: "── Title ───── [tag]" filling 79 columns, or the tag on its own line when both do not fit.
    private static func rule(_ title: String, tag: String) -> String {
        let head = "── \(title) "
        let tail = " [\(tag)]"
        let fill = 79 - head.count - tail.count
        if fill >= 3 { return head + String(repeating: "─", count: fill) + tail }
        let line = head + String(repeating: "─", count: max(3, 79 - head.count))
        return line + "\n" + String(repeating: " ", count: max(0, 79 - tail.count)) + tail
    }

    /// One row per code: platform, name, number; a `*` marks the codes the input named. An HRESULT's
    /// signed form follows on the same row when it fits in 79 columns, else on the next.
    private static func codeTable(_ codes: [ErrorCode], matched: [ErrorCode]) -> [String] {
        let sorted = codes.enumerated().sorted { ($0.element.namespace, $0.offset) < ($1.element.namespace, $1.offset) }
        let nameWidth = min(40, sorted.map(\.element.name.count).max() ?? 0)
        return sorted.map { _, code in
            let mark = matched.contains(code) ? "*" : " "
            let platform = code.namespace.shortName.padding(toLength: 9)
            let name = code.name.padding(toLength: nameWidth)
            var row = " \(mark)\(platform)\(name)  \(code.formattedValue)"
            if let signed = code.signedHResult {
                let note = "(signed \(signed))"
                row += row.count + 1 + note.count <= 79 ? " " + note : "\n" + String(repeating: " ", count: 11) + note
            }
            return row
        }
    }
}

extension String {
    /// The string padded with spaces to at least `length` characters.
    fileprivate func padding(toLength length: Int) -> String {
        self.count >= length ? self : self + String(repeating: " ", count: length - self.count)
    }
}
