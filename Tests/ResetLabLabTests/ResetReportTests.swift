import Foundation
import ResetLabWatch
import Testing

@testable import ResetLabLab

/// The kernel's reasons in the transcript, the JSON, the HTML ladder and the summary.
@Suite struct ResetReportTests {
    /// Story 5 (a) with the kernel's account of its one RST (the last captured packet).
    static func gracefulTraced(reason: ResetReason = .timeWaitSocket) -> LabScenarioResult {
        var result = LabFixtures.gracefulPassed()
        result.startTimestampNanoseconds = LabFixtures.epoch - 1_500_000
        let rst = result.packets.count - 1
        result.resets = [
            LabReset(
                from: .server, origin: .kernel(reason: reason, state: "TCP_TIME_WAIT"),
                timestampNanoseconds: result.packets[rst].timestampNanoseconds, packetIndex: rst
            )
        ]
        result.kernelTrace = .traced
        return result
    }

    /// The firewall scenario as it runs: a forged RST, captured.
    static func firewallTraced() -> LabScenarioResult {
        var result = LabFixtures.synthesized(.firewallReset, capture: .captured)
        result.packets = [
            TestPackets.packet(.client, [.psh, .ack], seq: 1, ack: 1, payload: Array("hello".utf8), at: LabFixtures.epoch),
            TestPackets.packet(.server, .rst, seq: 1, at: LabFixtures.epoch + 30_000),
        ]
        result.startTimestampNanoseconds = LabFixtures.epoch - 5_000_000
        result.resets = [LabReset(from: .server, origin: .notFromASocket, timestampNanoseconds: LabFixtures.epoch + 30_000, packetIndex: 1)]
        result.kernelTrace = .traced
        return result
    }

    private func assertFits(_ text: String) {
        for line in text.split(separator: "\n") {
            #expect(line.count <= 80, "\(line.count) columns: \(line)")
        }
    }

    @Test func theTranscriptSaysWhyUnderTheStepThatSentIt() throws {
        let text = LabTranscriptReport().render(Self.gracefulTraced())
        self.assertFits(text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let wire = try #require(lines.firstIndex { $0.contains("wire: >PA2 <R") }, "the RST is seen under the send of 2 bytes")
        #expect(lines[wire + 1].trimmingCharacters(in: .whitespaces).hasPrefix("server kernel sent RST: reason TCP_TIMEWAIT_SOCKET (a"))
        let flat = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(flat.contains("server kernel sent RST: reason TCP_TIMEWAIT_SOCKET (\(ResetReason.timeWaitSocket.meaning)); socket state TCP_TIME_WAIT"))
        #expect(text.contains("Reset checks (the kernel's reasons, from tcp_send_reset)\n  ✓ server kernel RST, reason TCP_TIMEWAIT_SOCKET\n"))
        #expect(!text.contains("✗"))
    }

    @Test func theTranscriptMarksAWrongReason() {
        let text = LabTranscriptReport().render(Self.gracefulTraced(reason: .abortOnClose))
        #expect(text.contains("  ✗ server kernel RST, reason TCP_TIMEWAIT_SOCKET; got server\n    TCP_ABORT_ON_CLOSE\n"))
    }

    @Test func theTranscriptSaysOnceWhyReasonsAreMissing() {
        var result = LabFixtures.gracefulPassed()
        result.kernelTrace = .notTraced("needs root: the reasons come from the kernel's tcp_send_reset tracepoint (tracefs)")
        let text = LabTranscriptReport().render(result)
        self.assertFits(text)
        #expect(text.components(separatedBy: "not traced").count == 2, "said exactly once")
        #expect(text.contains("Reset reasons: not traced: needs root"))
        #expect(text.contains("  not checked:\n  - server kernel RST, reason TCP_TIMEWAIT_SOCKET\n"))
        #expect(!text.contains("kernel sent RST"))
    }

    @Test func anIncompleteTraceIsShownButNotChecked() throws {
        var result = Self.gracefulTraced(reason: .abortOnClose)
        result.kernelTrace = .incomplete("the kernel dropped 12 trace events (the host was busy)")
        let text = LabTranscriptReport().render(result)
        self.assertFits(text)
        #expect(text.contains("server kernel sent RST: reason TCP_ABORT_ON_CLOSE"), "what was found is shown")
        #expect(text.contains("Reset checks: not checked, the kernel's trace is incomplete: the kernel\n  dropped 12"))
        #expect(!text.contains("✗"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(LabJSONReport().render([result]).utf8)) as? [String: Any])
        let trace = try #require((json["scenarios"] as? [[String: Any]])?.first?["kernelTrace"] as? [String: Any])
        #expect(trace["traced"] as? Bool == true && trace["complete"] as? Bool == false)
        #expect(LabSummaryReport().render([result]).contains("Reset reasons of graceful-close-then-write not checked: the"))
        #expect(LadderHTMLReport().render([result], generatedBy: "test").contains("trace is incomplete: the kernel dropped 12"))
    }

    @Test func theTranscriptSaysAForgedRSTWasTheFirewalls() {
        let text = LabTranscriptReport().render(Self.firewallTraced())
        self.assertFits(text)
        #expect(text.contains("RST in the server's name sent by the firewall (nft reject),"))
        #expect(text.contains("✓ RST in the server's name, sent by no socket"))
        #expect(!text.contains("reason TCP_"), "no reason is invented")
    }

    @Test func aScenarioWithoutRSTSaysSo() {
        var result = LabFixtures.synthesized(.cleanShutdown, capture: .captured)
        result.kernelTrace = .traced
        #expect(LabTranscriptReport().render(result).contains("Reset checks (the kernel's reasons, from tcp_send_reset)\n  ✓ no RST\n"))
    }

    @Test func theJSONCarriesEachResetAndTheExpectations() throws {
        let text = LabJSONReport().render([Self.gracefulTraced(), Self.firewallTraced(), LabFixtures.gracefulPassed()])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        let graceful = scenarios[0]
        #expect((graceful["kernelTrace"] as? [String: Any])?["traced"] as? Bool == true)
        let reset = try #require((graceful["resets"] as? [[String: Any]])?.first)
        #expect(reset["from"] as? String == "server")
        #expect(reset["sentBy"] as? String == "kernel")
        #expect(reset["reason"] as? String == "TCP_TIMEWAIT_SOCKET")
        #expect(reset["meaning"] as? String == ResetReason.timeWaitSocket.meaning)
        #expect(reset["state"] as? String == "TCP_TIME_WAIT")
        #expect(reset["packet"] as? Int == 8)
        #expect(reset["timeSeconds"] as? Double == 0.02753)
        #expect((reset["text"] as? String)?.hasPrefix("server kernel sent RST: reason TCP_TIMEWAIT_SOCKET") == true)
        let expected = try #require((graceful["expectedResets"] as? [[String: Any]])?.first)
        #expect(expected["reason"] as? String == "TCP_TIMEWAIT_SOCKET" && expected["sentBy"] as? String == "kernel")
        let forged = try #require((scenarios[1]["resets"] as? [[String: Any]])?.first)
        #expect(forged["sentBy"] as? String == "noSocket")
        #expect(forged["reason"] is NSNull)
        let untraced = try #require(scenarios[2]["kernelTrace"] as? [String: Any])
        #expect(untraced["traced"] as? Bool == false)
        #expect(untraced["reason"] is String)
    }

    @Test func theLadderLabelsTheRSTWithItsReason() {
        let page = LadderHTMLReport().render([Self.gracefulTraced(), Self.firewallTraced()], generatedBy: "test")
        #expect(page.contains(">R · TCP_TIMEWAIT_SOCKET</text>"))
        #expect(page.contains(">R · nft reject, not a socket</text>"))
        #expect(page.contains("<li>server kernel sent RST: reason TCP_TIMEWAIT_SOCKET ("))
        #expect(page.contains("<li class=\"met\">✓ server kernel RST, reason TCP_TIMEWAIT_SOCKET</li>"))
        let untraced = LadderHTMLReport().render([LabFixtures.gracefulPassed()], generatedBy: "test")
        #expect(untraced.contains("The kernel's reasons for RSTs were not traced: "))
    }

    @Test func theSummaryListsEachScenariosReasons() {
        var results = LabFixtures.allResults()
        results[0] = Self.gracefulTraced()
        let text = LabSummaryReport().render(results + [Self.firewallTraced()])
        self.assertFits(text)
        #expect(text.contains("The kernel's reason for each RST\n  graceful-close-then-write  server TCP_TIMEWAIT_SOCKET\n"))
        #expect(text.contains("  firewall-reset             server: the firewall (nft reject), not a socket"))
        #expect(text.contains("Reset reasons not traced: the kernel's reasons were not traced"))
    }

    @Test func eachReasonThatLoopbackCanProduceHasAScenarioThatExpectsIt() {
        let expected = Set(LabScenario.all.flatMap(\.resetExpectations).compactMap { expectation -> String? in
            if case .kernel(let reason) = expectation.origin { return reason.name }
            return nil
        })
        let producible: [ResetReason] = [
            .noSocket, .abortOnClose, .state, .timeWaitSocket, .abortOnData, .abortOnLinger, .keepaliveTimeout,
        ]
        for reason in producible {
            #expect(expected.contains(reason.name), "no scenario makes the kernel send \(reason.name)")
        }
    }

    @Test(arguments: LabScenario.all)
    func aScenarioDeclaresARSTExactlyWhenItsPacketsShowOne(_ scenario: LabScenario) {
        let wantsRST = scenario.packetExpectations.contains { expectation in
            switch expectation {
            case .inOrder(let matches): matches.contains { $0.flags.contains(.rst) }
            case .atLeast(_, let match): match.flags.contains(.rst)
            case .absent: false
            }
        }
        #expect(wantsRST == !scenario.resetExpectations.isEmpty, "\(scenario.id)")
        for expectation in scenario.resetExpectations {
            let absent = scenario.packetExpectations.contains { $0 == .absent(PacketMatch(expectation.from, .rst)) }
            #expect(!absent, "\(scenario.id) expects a RST from the \(expectation.from.rawValue) and none at once")
        }
    }
}
