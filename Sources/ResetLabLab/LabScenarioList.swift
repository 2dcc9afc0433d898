/// The `resetlab lab --list` text: every scenario with its id, title, story and what it shows.
public struct LabScenarioList: Sendable {
    public init() {}

    public func render(_ scenarios: [LabScenario]) -> String {
        var lines: [String] = []
        for scenario in scenarios {
            let needs = scenario.topology == .namespace ? "  (needs root)" : ""
            lines.append("\(scenario.id)\(needs)")
            lines.append(contentsOf: Self.wrap("\(scenario.title). \(scenario.story).", width: 76).map { "    " + $0 })
            if !scenario.explains.isEmpty {
                lines.append("    explain: " + scenario.explains.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
