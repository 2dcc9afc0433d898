extension LabSummaryReport {
    /// Why the kernel's reasons were not traced (each reason once), which scenarios' traces were incomplete,
    /// then, for every scenario that ran with tracing and saw a RST, who sent each RST and why:
    ///
    /// ```
    /// The kernel's reason for each RST
    ///   graceful-close-then-write  server TCP_TIMEWAIT_SOCKET
    ///   firewall-reset             server: the firewall (nft reject), not a socket
    /// ```
    func resetReasons(_ results: [LabScenarioResult]) -> [String] {
        let wrapper = LabTextWrapper(width: Self.width)
        var lines: [String] = []
        var untraced: [String] = []
        var incomplete: [String] = []
        var rows: [[String]] = []
        for result in results where result.skipped == nil {
            if case .notTraced(let reason) = result.kernelTrace {
                if !untraced.contains(reason) { untraced.append(reason) }
                continue
            }
            if case .incomplete(let reason) = result.kernelTrace {
                incomplete.append("Reset reasons of \(result.scenario.id) not checked: \(reason)")
            }
            if !result.resets.isEmpty {
                let wording = LabResetWording(result.scenario)
                rows.append([result.scenario.id, result.resets.map(wording.brief).joined(separator: ", then ")])
            }
        }
        for reason in untraced {
            lines.append(wrapper.wrap("Reset reasons not traced: \(reason)", indent: "  "))
        }
        for line in incomplete {
            lines.append(wrapper.wrap(line, indent: "  "))
        }
        guard !rows.isEmpty else { return lines }
        let table = LabTextTable(
            columns: [LabTextTable.Column(""), LabTextTable.Column("", wraps: true, minimumWidth: 20)],
            rows: rows,
            width: Self.width - 2
        )
        lines.append("")
        lines.append("The kernel's reason for each RST")
        lines += table.lines(header: false).map { "  " + $0 }
        return lines
    }
}
