extension LabSummaryReport {
    /// Why the kernel's reasons were not traced (each reason once), then, for every scenario that ran with
    /// tracing and saw a RST, who sent each RST and why:
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
        var rows: [[String]] = []
        for result in results where result.skipped == nil {
            switch result.kernelTrace {
            case .notTraced(let reason):
                if !untraced.contains(reason) { untraced.append(reason) }
            case .traced where !result.resets.isEmpty:
                let wording = LabResetWording(result.scenario)
                rows.append([result.scenario.id, result.resets.map(wording.brief).joined(separator: ", then ")])
            case .traced:
                break
            }
        }
        for reason in untraced {
            lines.append(wrapper.wrap("Reset reasons not traced: \(reason)", indent: "  "))
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
