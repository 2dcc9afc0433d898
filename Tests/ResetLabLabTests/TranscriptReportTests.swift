import Testing

@testable import ResetLabLab

@Suite struct TranscriptReportTests {
    private func assertFits(_ text: String) {
        for line in text.split(separator: "\n") {
            #expect(line.count <= 80, "\(line.count) columns: \(line)")
        }
    }

    @Test func showsStatesWinsockAndPackets() {
        let text = LabTranscriptReport().render(LabFixtures.gracefulPassed())
        self.assertFits(text)
        #expect(text.hasPrefix("── Graceful close by the server, then the client sends\n"))
        #expect(text.contains("─ [graceful-close-then-write]\nStory 5 (a): 10053 versus 10054\n"))
        #expect(text.contains("Story 5 (a)"))
        #expect(text.contains("CLOSE_WAIT"))
        #expect(text.contains("ESTABLISHED"))
        #expect(text.contains("10053"))
        #expect(text.contains("WSAECONNABORTED"))
        #expect(text.contains("+0.028s"))
        #expect(text.contains("the server's kernel sends FIN"), "notes are shown")
        #expect(text.contains("client → server"))
        #expect(text.contains("client ← server"))
        #expect(text.contains("✓ F from server, then data from client, then R from server"))
        #expect(text.contains("See: resetlab explain connection-aborted"))
        #expect(text.contains("See: resetlab explain broken-pipe"))
        #expect(text.hasSuffix("PASSED\n"))
        #expect(!text.contains("✗"))
    }

    @Test func numbersSegmentsRelativeToEachSide() {
        let lines = LabTranscriptReport().packets(LabFixtures.gracefulPassed())
        #expect(lines.count == 10)
        let synAck = lines[2]
        #expect(synAck.contains("client ← server") && synAck.contains("SA"))
        #expect(synAck.contains("seq 0") && synAck.contains("ack 1"))
        let reset = lines[9]
        #expect(reset.contains(" R ") && reset.contains("seq 2") && !reset.contains("ack"))
        #expect(reset.contains("+0.026s") && reset.contains("ttl 64") && reset.contains("len 0"))
        #expect(lines[8].contains("len 2"))
    }

    @Test func marksAFailedStepWithItsExpectation() {
        let text = LabTranscriptReport().render(LabFixtures.gracefulFailed())
        self.assertFits(text)
        #expect(text.contains("✗"))
        #expect(text.contains("✗ expected EPIPE"))
        #expect(text.contains("FAILED"))
        #expect(text.contains("  - step 11"))
    }

    @Test func saysWhenPacketsWereNotCaptured() {
        let text = LabTranscriptReport().render(LabFixtures.synthesized(.abortiveClose))
        self.assertFits(text)
        #expect(text.contains("not captured"))
        #expect(text.contains("not checked: packets not captured: needs root or CAP_NET_RAW"))
        #expect(text.contains("no F from server"), "the unchecked expectations are listed")
    }

    @Test func saysWhyAScenarioWasSkipped() {
        let result = LabScenarioResult(
            scenario: .blackhole, skipped: LabFixtures.skippedReason, capture: .notCaptured("skipped")
        )
        let text = LabTranscriptReport().render(result)
        let rule = "── Blackholed peer: the send times out " + String(repeating: "─", count: 28) + " [blackhole]"
        #expect(rule.count == 79)
        #expect(text == rule + "\nSkipped: \(LabFixtures.skippedReason)\n")
    }

    @Test func headingRuleFitsOrTakesTwoLines() {
        let short = LabTranscriptReport.rule("Short", tag: "id")
        #expect(short == "── Short " + String(repeating: "─", count: 65) + " [id]")
        let long = LabTranscriptReport.rule(String(repeating: "word ", count: 20), tag: "some-id")
        let lines = long.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.count <= 79 })
        #expect(lines.last?.hasSuffix("─ [some-id]") == true)
    }

    @Test func everyScenarioFitsEightyColumns() {
        for result in LabFixtures.allResults() {
            self.assertFits(LabTranscriptReport().render(result))
        }
    }
}
