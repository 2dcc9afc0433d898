/// How one scenario run ended, as the reports print it.
enum LabVerdict: String, Sendable, Hashable, CaseIterable {
    case pass = "PASS"
    case fail = "FAIL"
    case skip = "SKIP"

    init(_ result: LabScenarioResult) {
        if result.skipped != nil {
            self = .skip
        } else {
            self = result.passed ? .pass : .fail
        }
    }

    /// How many results ended each way.
    static func count(_ results: [LabScenarioResult]) -> (passed: Int, failed: Int, skipped: Int) {
        let verdicts = results.map(LabVerdict.init)
        return (
            verdicts.filter { $0 == .pass }.count,
            verdicts.filter { $0 == .fail }.count,
            verdicts.filter { $0 == .skip }.count
        )
    }

    /// The line CI reads: "N passed, M failed, K skipped".
    static func tallyLine(_ results: [LabScenarioResult]) -> String {
        let counts = Self.count(results)
        return "\(counts.passed) passed, \(counts.failed) failed, \(counts.skipped) skipped"
    }
}
