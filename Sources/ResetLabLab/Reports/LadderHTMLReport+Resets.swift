import ResetLabCapture

extension LadderHTMLReport {
    /// The kernel's account of every RST (who sent it, the reason and what it means) and the scenario's reset
    /// checks with ✓ or ✗, or a note saying why the reasons were not traced.
    func resets(_ result: LabScenarioResult) -> String {
        let expectations = result.scenario.resetExpectations
        if case .notTraced(let reason) = result.kernelTrace {
            return "<p class=\"note\">The kernel's reasons for RSTs were not traced: \(HTMLText.escaped(reason))</p>\n"
        }
        let wording = LabResetWording(result.scenario)
        var html = ""
        if result.resets.isEmpty {
            html += "<p class=\"resets\">No RST was sent.</p>\n"
        } else {
            html += "<ul class=\"resets\">\n"
            html += result.resets.map { "<li>\(HTMLText.escaped(wording.sentence($0)))</li>\n" }.joined()
            html += "</ul>\n"
        }
        if case .incomplete(let reason) = result.kernelTrace {
            let why = "Reset checks not made: the kernel&#39;s trace is incomplete: \(HTMLText.escaped(reason))"
            return html + "<p class=\"note\">\(why)</p>\n"
        }
        let check = LabResetCheck(expectations, resets: result.resets, captured: result.capture == .captured)
        guard !check.expected.isEmpty || !check.observed.isEmpty || !check.unchecked.isEmpty else { return html }
        html += "<ul class=\"checks\">\n"
        for (index, expectation) in check.expected.enumerated() {
            let met = check.isMet(at: index)
            let mark = met ? "✓" : "✗"
            html += "<li class=\"\(met ? "met" : "missed")\">\(mark) \(HTMLText.escaped(expectation.description))</li>\n"
        }
        for reset in check.unexpected {
            html += "<li class=\"missed\">✗ unexpected RST: \(HTMLText.escaped(wording.brief(reset)))</li>\n"
        }
        for expectation in check.unchecked {
            html += "<li>\(HTMLText.escaped(expectation.description)): not checked without a capture</li>\n"
        }
        return html + "</ul>\n"
    }
}
