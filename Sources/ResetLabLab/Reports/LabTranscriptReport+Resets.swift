extension LabTranscriptReport {
    /// The RSTs the scenario declares, each with ✓ or ✗ against the kernel's account (and what the kernel said
    /// instead), any RST it did not declare; or why the kernel's reasons were not traced, or not checked.
    func resetChecks(_ result: LabScenarioResult) -> [String] {
        let wrapper = LabTextWrapper(width: Self.width)
        let expectations = result.scenario.resetExpectations
        if case .notTraced(let reason) = result.kernelTrace {
            var lines = [wrapper.wrap("Reset reasons: not traced: \(reason)", indent: "  ")]
            if !expectations.isEmpty {
                lines.append("  not checked:")
                lines += expectations.map { wrapper.wrap("- \($0)", firstIndent: "  ", indent: "    ") }
            }
            return lines
        }
        if case .incomplete(let reason) = result.kernelTrace {
            let why = "Reset checks: not checked, the kernel's trace is incomplete: \(reason)"
            var lines = [wrapper.wrap(why, indent: "  ")]
            lines += expectations.map { wrapper.wrap("- \($0)", firstIndent: "  ", indent: "    ") }
            return lines
        }
        let wording = LabResetWording(result.scenario)
        let check = LabResetCheck(expectations, resets: result.resets, captured: result.capture == .captured)
        var lines = ["Reset checks (the kernel's reasons, from tcp_send_reset)"]
        if check.expected.isEmpty && check.observed.isEmpty {
            lines.append("  ✓ no RST")
        }
        for (index, expectation) in check.expected.enumerated() {
            var text = (check.isMet(at: index) ? "✓ " : "✗ ") + expectation.description
            if !check.isMet(at: index) {
                let got = index < check.observed.count ? wording.brief(check.observed[index]) : nil
                text += got.map { "; got \($0)" } ?? "; none was sent"
            }
            lines.append(wrapper.wrap(text, firstIndent: "  ", indent: "    "))
        }
        for reset in check.unexpected {
            lines.append(wrapper.wrap("✗ unexpected RST: \(wording.brief(reset))", firstIndent: "  ", indent: "    "))
        }
        for expectation in check.unchecked {
            let text = "- \(expectation): not checked, only a capture shows a RST that no socket sent"
            lines.append(wrapper.wrap(text, firstIndent: "  ", indent: "    "))
        }
        return lines
    }
}
