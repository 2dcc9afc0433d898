import Testing

@testable import ResetLabLab

@Suite struct SummaryReportTests {
    /// A cell with its no-break spaces as plain spaces.
    static func plain(_ cell: String) -> String {
        String(cell.map { $0 == LabTextWrapper.noBreakSpace ? " " : $0 })
    }

    @Test func listsEveryScenarioAndTheTally() {
        let results = LabFixtures.allResults()
        let text = LabSummaryReport().render(results)
        for scenario in LabScenario.all {
            #expect(text.contains(scenario.id), "missing \(scenario.id)")
        }
        let skipped = 1
        let failed = 1
        let passed = results.count - skipped - failed
        #expect(text.contains("\n\(passed) passed, \(failed) failed, \(skipped) skipped\n"))
    }

    @Test func fitsEightyColumns() {
        let text = LabSummaryReport().render(LabFixtures.allResults() + [LabFixtures.gracefulFailed()])
        for line in text.split(separator: "\n") {
            #expect(line.count <= 80, "\(line.count) columns: \(line)")
        }
    }

    @Test func showsCallsWinsockAndPacketPattern() {
        let text = LabSummaryReport().render([LabFixtures.gracefulPassed()])
        let row = LabSummaryReport().row(LabFixtures.gracefulPassed()).map(Self.plain)
        #expect(row == [
            "graceful-close-then-write", "sent 1 sent 2 EOF EPIPE", "same same 10053 10053",
            ">S <SA >PA1 <FA >PA2 <R", "PASS",
        ])
        #expect(text.contains("PASS"))
        #expect(text.contains("1 passed, 0 failed, 0 skipped"))
        #expect(!text.contains("not captured"))
    }

    @Test func explainsCaptureSkipsAndFailures() {
        let text = LabSummaryReport().render(LabFixtures.allResults())
        #expect(text.contains("not captured"))
        #expect(text.contains("Packets not captured: needs root or CAP_NET_RAW"))
        #expect(text.components(separatedBy: "Packets not captured:").count == 2, "each reason once")
        #expect(text.contains("Skipped firewall-reset: needs root: network namespaces"))
        #expect(text.contains("FAIL crash-after-read"))
        #expect(text.contains("  - step 8 (client recv"))
        #expect(text.contains("SKIP"))
    }

    @Test func keepsFinishOfTheClientAndDropsPlainOks() {
        let scenario = LabScenario.framingDeadlock
        let finish = scenario.steps.firstIndex { $0.action == .finish(.client) } ?? 0
        let records = [
            LabFixtures.record(scenario, 1, .done, time: 0),
            LabFixtures.record(scenario, 3, .sent(8), state: .established, time: 0.001),
            LabFixtures.record(
                scenario, finish, .failed(LabFixtures.error("ECONNRESET")), state: .established,
                winsock: .error(name: "WSAECONNRESET", code: 10054), time: 0.4
            ),
        ]
        let result = LabScenarioResult(scenario: scenario, records: records, capture: .notCaptured("no"))
        let row = LabSummaryReport().row(result).map(Self.plain)
        #expect(row[1] == "sent 8 ECONNRESET")
        #expect(row[2] == "same 10054")
        #expect(row[3] == "not captured")
    }
}
