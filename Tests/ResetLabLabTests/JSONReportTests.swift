import Foundation
import Testing

@testable import ResetLabLab

@Suite struct JSONReportTests {
    private func parse(_ results: [LabScenarioResult]) throws -> [String: Any] {
        let text = LabJSONReport().render(results)
        #expect(text.hasSuffix("}\n"))
        #expect(text.dropLast().contains("\n") == false, "one compact line")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func hasTheDocumentedShape() throws {
        let object = try self.parse(LabFixtures.allResults())
        #expect(Set(object.keys) == ["scenarios", "passed", "failed", "skipped"])
        #expect(object["passed"] as? Int == LabScenario.all.count - 2)
        #expect(object["failed"] as? Int == 1)
        #expect(object["skipped"] as? Int == 1)
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        #expect(scenarios.count == LabScenario.all.count)
        let keys: Set<String> = [
            "name", "title", "story", "passed", "skipped", "explains", "durationSeconds", "capture", "failures",
            "steps", "packets", "kernelTrace", "resets", "expectedResets",
        ]
        for scenario in scenarios {
            #expect(Set(scenario.keys) == keys)
        }
        let skipped = try #require(scenarios.first { $0["name"] as? String == "firewall-reset" })
        #expect(skipped["skipped"] as? String == LabFixtures.skippedReason)
        #expect(skipped["passed"] as? Bool == false)
        let notCaptured = try #require(scenarios.first { $0["name"] as? String == "abortive-close" })
        let capture = try #require(notCaptured["capture"] as? [String: Any])
        #expect(capture["captured"] as? Bool == false)
        #expect(capture["reason"] as? String == LabFixtures.notCapturedReason)
        #expect(notCaptured["skipped"] is NSNull)
    }

    @Test func describesStepsAndPackets() throws {
        let object = try self.parse([LabFixtures.gracefulPassed()])
        let scenario = try #require((object["scenarios"] as? [[String: Any]])?.first)
        #expect(scenario["name"] as? String == "graceful-close-then-write")
        #expect(scenario["passed"] as? Bool == true)
        #expect(scenario["explains"] as? [String] == ["connection-aborted", "broken-pipe"])
        #expect(scenario["durationSeconds"] as? Double == 0.0523)
        let capture = try #require(scenario["capture"] as? [String: Any])
        #expect(capture["captured"] as? Bool == true && capture["reason"] is NSNull)

        let steps = try #require(scenario["steps"] as? [[String: Any]])
        #expect(steps.count == 11)
        let stepKeys: Set<String> = [
            "index", "actor", "operation", "stateBefore", "result", "winsock", "expected", "met", "timeSeconds", "note",
            "packets",
        ]
        for step in steps {
            #expect(Set(step.keys) == stepKeys)
        }
        #expect(steps[0]["stateBefore"] is NSNull)
        #expect(steps[0]["winsock"] as? String == "same")
        #expect(steps[6]["winsock"] is NSNull, "a harness pause has no Winsock result")
        #expect(steps[6]["expected"] is NSNull && steps[6]["met"] is NSNull)
        #expect((steps[6]["result"] as? [String: Any])?["kind"] as? String == "acted")
        let send = steps[7]
        #expect(send["actor"] as? String == "client")
        #expect(send["operation"] as? String == "send 2 bytes \"yy\"")
        #expect(send["stateBefore"] as? String == "CLOSE_WAIT")
        #expect(send["expected"] as? String == "2 bytes sent")
        #expect(send["met"] as? Bool == true)
        #expect(send["timeSeconds"] as? Double == 0.028)
        let sent = try #require(send["result"] as? [String: Any])
        #expect(sent["kind"] as? String == "sent" && sent["bytes"] as? Int == 2)
        #expect(sent["text"] as? String == "2 bytes sent")
        let eof = try #require(steps[9]["result"] as? [String: Any])
        #expect(eof["kind"] as? String == "eof")
        let winsock = try #require(steps[9]["winsock"] as? [String: Any])
        #expect(winsock["name"] as? String == "WSAECONNABORTED" && winsock["code"] as? Int == 10053)
        let error = try #require(steps[10]["result"] as? [String: Any])
        #expect(error["kind"] as? String == "error" && error["text"] as? String == "-1 EPIPE (32)")
        let errno = try #require(error["errno"] as? [String: Any])
        #expect(errno["name"] as? String == "EPIPE" && errno["code"] as? Int == 32)
        #expect(steps[5]["note"] as? String == "the server's kernel sends FIN")
        #expect((steps[4]["result"] as? [String: Any])?["kind"] as? String == "received")
        #expect((steps[0]["result"] as? [String: Any])?["kind"] as? String == "ok")

        let packets = try #require(scenario["packets"] as? [[String: Any]])
        #expect(packets.count == 9)
        for packet in packets {
            #expect(Set(packet.keys) == ["from", "flags", "length", "seq", "ack", "ttl", "timeSeconds"])
        }
        #expect(packets.map { $0["from"] as? String ?? "" }.first == "client")
        #expect(packets.map { $0["flags"] as? String ?? "" } == ["S", "SA", "A", "PA", "A", "FA", "A", "PA", "R"])
        #expect(packets.map { $0["length"] as? Int ?? -1 } == [0, 0, 0, 1, 0, 0, 0, 2, 0])
        #expect(packets[0]["timeSeconds"] as? Double == 0)
        #expect(packets[8]["timeSeconds"] as? Double == 0.02603)
        #expect(packets[8]["from"] as? String == "server")
        #expect(packets[1]["seq"] as? Int == 4_000_000_000 && packets[1]["ack"] as? Int == 1_000_001)
        #expect(packets[1]["ttl"] as? Int == 64)
    }

    @Test func valueMatchesRender() {
        let results = [LabFixtures.gracefulFailed()]
        #expect(LabJSONReport().value(results).serialized() + "\n" == LabJSONReport().render(results))
    }

    @Test func winsockForms() {
        let report = LabJSONReport()
        #expect(report.value(nil as WinsockTranslation.Result?).serialized() == "null")
        #expect(report.value(WinsockTranslation.Result.sameAsLinux).serialized() == "\"same\"")
        #expect(report.value(WinsockTranslation.Result.unmapped).serialized() == "\"unmapped\"")
        let error = report.value(WinsockTranslation.Result.error(name: "WSAECONNRESET", code: 10054))
        #expect(error.serialized() == "{\"name\":\"WSAECONNRESET\",\"code\":10054}")
        let frames = report.value(CallOutcome.frames(2)).serialized()
        #expect(frames == "{\"kind\":\"frames\",\"text\":\"2 complete messages\"}")
        #expect(report.value(CallOutcome.inspected).serialized() == "{\"kind\":\"inspected\",\"text\":\"—\"}")
    }
}
