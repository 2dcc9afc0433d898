/// The side-by-side table `resetlab lab` prints after running every scenario, for an 80-column terminal.
///
/// One row per scenario: its id, what the client's calls returned on Linux, what a Windows program would
/// have got for the same calls, the pattern of segments on the wire, and PASS, FAIL or SKIP. Cells wrap
/// inside their column. Below the table: the tally line CI reads ("N passed, M failed, K skipped"), why
/// packets were not captured, why scenarios were skipped, the kernel's reason for each RST (or why it was not
/// traced), and what differed in each failing scenario.
public struct LabSummaryReport: Sendable {
    /// The widest any line may be.
    static let width = 79

    public init() {}

    /// The table and the lines under it, ending with a newline.
    public func render(_ results: [LabScenarioResult]) -> String {
        let wrapper = LabTextWrapper(width: Self.width)
        var lines = self.table(results)
        lines.append("")
        lines.append(LabVerdict.tallyLine(results))

        var reasons: [String] = []
        for result in results where result.skipped == nil {
            if case .notCaptured(let reason) = result.capture, !reasons.contains(reason) {
                reasons.append(reason)
            }
        }
        for reason in reasons {
            lines.append(wrapper.wrap("Packets not captured: \(reason)", indent: "  "))
        }
        for result in results {
            if let reason = result.skipped {
                lines.append(wrapper.wrap("Skipped \(result.scenario.id): \(reason)", indent: "  "))
            }
        }
        lines += self.resetReasons(results)
        for result in results where LabVerdict(result) == .fail {
            lines.append("")
            lines.append(wrapper.wrap("FAIL \(result.scenario.id): \(result.scenario.title)", indent: "  "))
            let failures = result.failures.isEmpty ? ["(no reason recorded)"] : result.failures
            for failure in failures {
                lines.append(wrapper.wrap(failure, firstIndent: "  - ", indent: "    "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The header and one row (of one or more lines) per scenario.
    func table(_ results: [LabScenarioResult]) -> [String] {
        let longestID = results.map(\.scenario.id.count).max() ?? 8
        let table = LabTextTable(
            columns: [
                LabTextTable.Column("Scenario", wraps: true, minimumWidth: min(longestID, 26)),
                LabTextTable.Column("Client got", wraps: true, minimumWidth: 10),
                LabTextTable.Column("Windows", wraps: true, minimumWidth: 7),
                LabTextTable.Column("Packets", wraps: true, minimumWidth: 10),
                LabTextTable.Column("Result"),
            ],
            rows: results.map(self.row),
            width: Self.width
        )
        let widths = table.columnWidths()
        var lines = table.render(table.columns.map(\.header), widths: widths)
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        let rows = results.map { table.render(self.row($0), widths: widths) }
        let spaced = rows.contains { $0.count > 1 }
        for (position, row) in rows.enumerated() {
            if spaced, position > 0 {
                lines.append("")
            }
            lines += row
        }
        return lines
    }

    /// The cells of one scenario's row; a no-break space holds each call's result ("sent 5") together.
    func row(_ result: LabScenarioResult) -> [String] {
        let verdict = LabVerdict(result).rawValue
        guard result.skipped == nil else { return [result.scenario.id, "—", "—", "—", verdict] }
        let calls = result.records.filter(Self.isInterestingClientCall)
        let keepTogether = { (text: String) in String(text.map { $0 == " " ? LabTextWrapper.noBreakSpace : $0 }) }
        let linux = calls.map { keepTogether($0.outcome.shortSummary) }
        let windows = calls.map { keepTogether($0.winsock?.shortDescription ?? "—") }
        return [
            result.scenario.id,
            linux.isEmpty ? "—" : linux.joined(separator: " "),
            windows.isEmpty ? "—" : windows.joined(separator: " "),
            Self.packetPattern(result),
            verdict,
        ]
    }

    /// Whether a record is one of the client's calls worth a cell: sends, receives, EOF and errors, not the
    /// plain "ok" of connect, listen, accept, close or an option. A harness `finish(.client)` counts.
    static func isInterestingClientCall(_ record: LabStepRecord) -> Bool {
        let isClient = record.step.actor == .client || record.step.action == .finish(.client)
        switch record.outcome {
        case .done, .acted, .inspected: return false
        case .sent, .received, .endOfStream, .failed, .frames: return isClient
        }
    }

    /// The segments that are more than acknowledgements, as `>S <SA >PA1 <FA >PA2 <R`.
    static func packetPattern(_ result: LabScenarioResult) -> String {
        if case .notCaptured = result.capture {
            return "not captured"
        }
        let tokens = result.packets.filter { !$0.isPureAcknowledgment }.map {
            ($0.from == .client ? ">" : "<") + $0.token
        }
        return tokens.isEmpty ? "none" : tokens.joined(separator: " ")
    }
}
