import Foundation
import Testing

@testable import ResetLabCapture

/// The report formats: table, JSON, TSV, Zeek's conn.log, the ladder and its story, the HTML page.
@Suite struct CaptureReportTests {
    /// The 10053 pattern, written to a pcap: the capture every report is made from here.
    static var file: [UInt8] {
        var conversation = Conversation(clientPort: 51000, serverPort: 2525)
        conversation.handshake()
        conversation.client("PA", 1)
        conversation.server("A")
        conversation.server("FA")
        conversation.client("A")
        conversation.client("PA", 2, after: 50_000_000)
        conversation.server("R")
        var clean = Conversation(clientPort: 51001, serverPort: 2525)
        clean.now = conversation.now
        clean.handshake()
        clean.client("FA")
        clean.server("FA")
        clean.client("A")
        return CaptureFileBuilder.pcap((conversation.segments + clean.segments).map(CaptureFileBuilder.frame))
    }

    func report(_ format: CaptureReportFormat, filter: ConnectionFilter = ConnectionFilter()) -> (text: String, outcome: CaptureReportRun.Outcome) {
        var text = ""
        let outcome = CaptureReportRun(format: format, filter: filter).run(BytesSource(Self.file), name: "test.pcap") { text += $0 }
        return (text, outcome)
    }

    @Test func theTableNamesTheVerdictWhoResetAndWhatTheClientSaw() {
        let (text, outcome) = self.report(.table)
        #expect(outcome.error == nil)
        #expect(text.contains("server closed (FIN), client kept sending, server reset (the 10053 pattern)"))
        #expect(text.contains("first RST: from the server"))
        #expect(text.contains("client most likely saw ECONNRESET (104) or EPIPE (32) on send / WSAECONNABORTED (10053): resetlab explain WSAECONNABORTED"))
        #expect(text.contains("clean close (FIN each way)"))
        #expect(text.contains("connections 2, ended by RST 1"))
        #expect(text.contains("Zeek conn_state: SF 1, RSTR 1"))
    }

    @Test func jsonIsOneValidDocument() throws {
        let (text, _) = self.report(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let connections = try #require(object["connections"] as? [[String: Any]])
        #expect(connections.count == 2)
        #expect(connections[0]["verdict"] as? String == "fin-then-reset")
        #expect(connections[0]["zeekConnState"] as? String == "RSTR")
        let reset = try #require(connections[0]["firstReset"] as? [String: Any])
        #expect(reset["from"] as? String == "server")
        #expect(reset["sequence"] as? String == "exact")
        let saw = try #require(connections[0]["originatorSaw"] as? [String: Any])
        #expect(saw["winsockCode"] as? Int == 10053)
        #expect(saw["explain"] as? String == "resetlab explain WSAECONNABORTED")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["connections"] as? Int == 2)
        #expect(object["error"] is NSNull)
    }

    @Test func onlyResetsListsTheResetConnectionButCountsBoth() {
        let (text, outcome) = self.report(.tsv, filter: ConnectionFilter(onlyResets: true))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2, "header and one connection: \(lines)")
        #expect(lines[1].contains("fin-then-reset"))
        #expect(outcome.summary.connections == 2)
        let columns = lines[0].split(separator: "\t").count
        #expect(lines[1].split(separator: "\t", omittingEmptySubsequences: false).count == columns)
    }

    @Test func hostAndPortFiltersChooseConnections() {
        let port = self.report(.tsv, filter: ConnectionFilter(port: 51001)).text.split(separator: "\n")
        #expect(port.count == 2 && port[1].contains("clean-close"))
        let host = self.report(.tsv, filter: ConnectionFilter(host: IPAddress(parsing: "10.9.9.9"))).text
        #expect(host.split(separator: "\n").count == 1)
    }

    @Test func theZeekLogHasZeeksHeaderAndColumns() throws {
        let (text, _) = self.report(.zeek)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "#separator \\x09")
        #expect(lines[4] == "#path\tconn")
        let fields = try #require(lines.first { $0.hasPrefix("#fields") }).split(separator: "\t").dropFirst().map(String.init)
        for field in ["id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "conn_state", "history", "orig_bytes",
                      "resp_bytes", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes"] {
            #expect(fields.contains(field), "missing \(field)")
        }
        let rows = lines.filter { !$0.hasPrefix("#") }
        #expect(rows.count == 2)
        let first = rows[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        #expect(first.count == fields.count)
        let value = { (name: String) in first[try #require(fields.firstIndex(of: name))] }
        #expect(try value("id.orig_h") == "10.0.0.1")
        #expect(try value("id.resp_p") == "2525")
        #expect(try value("conn_state") == "RSTR")
        #expect(try value("history") == "ShADafr")
        #expect(try value("orig_bytes") == "3")
        #expect(try value("proto") == "tcp")
        #expect(lines.last?.hasPrefix("#close\t") == true)
    }

    @Test func theLadderTellsTheStory() throws {
        let (ladder, error) = CaptureReportRun.ladder(of: 1, in: BytesSource(Self.file))
        #expect(error == nil)
        let found = try #require(ladder)
        #expect(found.story == "1–3 handshake; 4 client sends 1 byte; 5 server acknowledges; 6 server FIN; 7 client acknowledges; 8 client sends 2 bytes; 9 server RST")
        let text = found.render()
        #expect(text.contains("verdict: server closed (FIN), client kept sending, server reset (the 10053 pattern)"))
        #expect(text.contains("+50 ms"))
        #expect(CaptureReportRun.ladder(of: 9, in: BytesSource(Self.file)).ladder == nil)
    }

    @Test func theHTMLPageDrawsHistogramsAndLadders() {
        let run = CaptureReportRun(format: .table, filter: ConnectionFilter(), keepForHTML: true)
        let outcome = run.run(BytesSource(Self.file), name: "<test>") { _ in }
        #expect(outcome.ladders.count == 1)
        let page = CaptureHTMLReport().render(
            title: "<test>", summary: outcome.summary, statistics: outcome.statistics,
            connections: outcome.keptConnections, ladders: outcome.ladders, listedLimit: 100)
        #expect(page.contains("&lt;test&gt;"))
        #expect(!page.contains("<test>"))
        #expect(page.components(separatedBy: "<svg").count - 1 == 3, "two histograms and one ladder")
        #expect(page.contains("9 server RST"))
    }

    @Test func aTruncatedCaptureStillReportsWhatCameBefore() throws {
        var text = ""
        let outcome = CaptureReportRun(format: .json, filter: ConnectionFilter()).run(BytesSource(Array(Self.file.dropLast(30))), name: "cut.pcap") { text += $0 }
        let error = try #require(outcome.error as? CaptureReadError)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((object["connections"] as? [Any])?.count == 2)
        let reported = try #require(object["error"] as? [String: Any])
        #expect(reported["offset"] as? Int == error.offset)
        #expect(CaptureReportWriter.errorMessage(error).hasPrefix("capture stopped at byte \(error.offset): truncated record"))
    }
}
