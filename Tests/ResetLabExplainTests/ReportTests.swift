import Foundation
import ResetLabCatalog
import ResetLabJSON
import Testing

@testable import ResetLabExplain

@Suite struct ReportTests {
    private let explainer = Explainer(catalog: sharedCatalog)

    @Test func everyConditionRendersWithinEightyColumns() {
        for condition in sharedCatalog.conditions {
            let text = TextReport(fullMatchLimit: nil).render(self.explainer.explain(condition.id))
            for line in text.split(separator: "\n") {
                #expect(line.count <= 80, "\(condition.id): \(line.count) columns: \(line)")
            }
        }
    }

    @Test func aDeepEntryShowsEverySection() {
        let text = TextReport().render(self.explainer.explain("10054"))
        for heading in ["Names and numbers", "What it means", "On the wire", "Who acted:", "Likely causes, most likely first",
                        "How to confirm", "Capture: tcpdump", "How to fix or avoid it", "See also:"] {
            #expect(text.contains(heading), "missing \(heading)")
        }
        for name in ["WSAECONNRESET", "ECONNRESET", "SocketError.ConnectionReset", "0x80072746"] {
            #expect(text.contains(name))
        }
        #expect(text.contains(" *Winsock"), "the matched code is marked")
    }

    @Test func noMatchSaysSoAndSuggests() {
        let text = TextReport().render(self.explainer.explain("WSAECONRESET"))
        #expect(text.hasPrefix("No match for \"WSAECONRESET\"."))
        #expect(text.contains("Nearest known: WSAECONNRESET"))
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let json = JSONReport().render(self.explainer.explain("socket error 10054, error code 0x800CCC0E"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["matched"] as? Bool == true)
        let matches = try #require(object["matches"] as? [[String: Any]])
        let ids = matches.compactMap { $0["id"] as? String }
        #expect(ids.contains("connection-reset") && ids.contains("mail-failed-to-connect"))
        let mail = try #require(matches.first { $0["id"] as? String == "mail-failed-to-connect" })
        let codes = try #require(mail["codes"] as? [[String: Any]])
        let hresult = try #require(codes.first { $0["namespace"] as? String == "hresult" })
        #expect(hresult["formatted"] as? String == "0x800CCC0E")
        #expect(hresult["signed"] as? Int == -2_146_644_978)
        for key in ["title", "depth", "evidence", "summary", "wire", "actor", "causes", "confirm", "fix", "seeAlso"] {
            #expect(mail[key] != nil, "missing \(key)")
        }
    }

    @Test func jsonEscapesControlCharacters() {
        let value = JSONValue.object([("a", .string("line\n\"quoted\"\\\u{01}"))])
        #expect(value.serialized() == #"{"a":"line\n\"quoted\"\\\u0001"}"#)
    }

    @Test func wrapperKeepsWordsAndIndent() {
        let wrapped = TextWrapper(width: 20).wrap("one two three four five six seven", firstIndent: "- ", indent: "  ")
        #expect(wrapped == "- one two three four\n  five six seven")
    }
}
