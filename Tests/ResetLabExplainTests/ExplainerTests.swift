import ResetLabCatalog
import Testing

@testable import ResetLabExplain

/// One shared, parsed catalog for all explain tests.
let sharedCatalog: Catalog = {
    do { return try Catalog.embedded() } catch { fatalError("catalog does not parse: \(error)") }
}()

@Suite struct ExplainerTests {
    private let explainer = Explainer(catalog: sharedCatalog)

    struct Case: Sendable, CustomTestStringConvertible {
        var input: String
        var top: String
        var platform: Platform? = nil
        var alsoMatches: [String] = []
        var testDescription: String { self.input.count > 60 ? String(self.input.prefix(60)) + "…" : self.input }
    }

    /// Numbers, names and whole log lines from many runtimes, with the condition that must come first.
    static let cases: [Case] = [
        // Numbers
        Case(input: "10054", top: "connection-reset"),
        Case(input: "10053", top: "connection-aborted"),
        Case(input: "10060", top: "timed-out"),
        Case(input: "10061", top: "connection-refused"),
        Case(input: "10065", top: "host-unreachable"),
        Case(input: "104", top: "connection-reset"),
        Case(input: "32", top: "broken-pipe"),
        Case(input: "111", top: "connection-refused"),
        Case(input: "0x800CCC0E", top: "mail-failed-to-connect"),
        Case(input: "0x800ccc0f", top: "mail-connection-dropped"),
        Case(input: "-2146644978", top: "mail-failed-to-connect"),
        Case(input: "0x80072746", top: "connection-reset"),
        Case(input: "-2147014842", top: "connection-reset"),
        Case(input: "54", top: "connection-reset", platform: .macos),
        Case(input: "60", top: "timed-out", platform: .freebsd),
        // Names
        Case(input: "WSAECONNRESET", top: "connection-reset"),
        Case(input: "ECONNRESET", top: "connection-reset"),
        Case(input: "econnreset", top: "connection-reset"),
        Case(input: "EPIPE", top: "broken-pipe"),
        Case(input: "IXP_E_CONNECTION_DROPPED", top: "mail-connection-dropped"),
        Case(input: "SocketError.ConnectionReset", top: "connection-reset"),
        Case(input: "System.Net.Sockets.SocketError.ConnectionAborted", top: "connection-aborted"),
        Case(input: "CURLE_RECV_ERROR", top: "curl-recv-error"),
        Case(input: "WSA_QOS_EUNKOWNPSOBJ", top: "qos-unknown-object"),
        Case(input: "connection-aborted", top: "connection-aborted"),
        Case(input: "broken pipe", top: "broken-pipe"),
        Case(input: "socket hang up", top: "unexpected-eof"),
        // Whole log lines, embedded in timestamps and other text
        Case(
            input: "2026-11-25 10:54:02,113 ERROR [pool-3] java.net.SocketException: Connection reset",
            top: "connection-reset"
        ),
        Case(
            input: "Traceback: ConnectionResetError: [Errno 104] Connection reset by peer",
            top: "connection-reset"
        ),
        Case(
            input: "ConnectionResetError: [WinError 10054] An existing connection was forcibly closed by the remote host",
            top: "connection-reset"
        ),
        Case(
            input: "Unhandled exception. System.IO.IOException: Unable to read data from the transport connection: "
                + "An existing connection was forcibly closed by the remote host.. ---> "
                + "System.Net.Sockets.SocketException (10054): An existing connection was forcibly closed by the remote host.",
            top: "connection-reset"
        ),
        Case(input: "2026/11/25 10:54:02 read tcp 10.0.0.5:51234->10.0.0.9:443: read: connection reset by peer", top: "connection-reset"),
        Case(input: "write tcp 127.0.0.1:5000->127.0.0.1:41234: write: broken pipe", top: "broken-pipe"),
        Case(input: "Error: read ECONNRESET\n    at TCP.onStreamRead (node:internal/stream_base_commons:217:20)", top: "connection-reset"),
        Case(input: "Error: socket hang up\n    at connResetException (node:internal/errors:720:14)", top: "unexpected-eof"),
        Case(
            input: "2026/11/25 10:54:02 [error] 1234#1234: *5 recv() failed (104: Connection reset by peer) while reading "
                + "response header from upstream, client: 10.1.2.3, server: example.org",
            top: "connection-reset"
        ),
        Case(
            input: "2026/11/25 10:54:02 [error] 1234#1234: *7 connect() failed (111: Connection refused) while connecting to upstream",
            top: "connection-refused"
        ),
        Case(input: "curl: (56) Recv failure: Connection reset by peer", top: "curl-recv-error", alsoMatches: ["connection-reset"]),
        Case(input: "curl: (7) Failed to connect to example.org port 443 after 3 ms: Couldn't connect to server", top: "curl-couldnt-connect"),
        Case(
            input: "psql: error: server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally",
            top: "unexpected-eof"
        ),
        Case(input: "ERROR 2013 (HY000): Lost connection to MySQL server during query", top: "unexpected-eof"),
        Case(
            input: "The connection to the server was interrupted. Account: 'Mail', Server: 'smtp.example.org', Protocol: SMTP, "
                + "Port: 25, Secure(SSL): No, Socket Error: 10054, Error Number: 0x800CCC0F",
            top: "mail-connection-dropped",
            alsoMatches: ["connection-reset"]
        ),
        Case(
            input: "error connecting to server, protocol SMTP, port 25, secure (SSL): no, socket error 10054, error code 0x800CCC0E",
            top: "mail-failed-to-connect",
            alsoMatches: ["connection-reset"]
        ),
        Case(input: "Oct 3 12:00:01 host app[311]: send failed: errno=32", top: "broken-pipe"),
        Case(
            input: "40E7B5C1A47F0000:error:0A000126:SSL routines:ssl3_read_n:unexpected eof while reading:../ssl/record/rec_layer_s3.c:303:",
            top: "unexpected-eof"
        ),
        Case(input: "write:errno=32", top: "broken-pipe"),
        Case(input: "140245093:error:02FFF068:system library:func(4095):Connection reset by peer read:errno=104", top: "connection-reset"),
        Case(input: "ERROR 2006 (HY000) at line 12: MySQL server has gone away", top: "unexpected-eof"),
        Case(input: "ERROR 2003 (HY000): Can't connect to MySQL server on 'db:3306' (111)", top: "connection-refused"),
        Case(input: "thread 'main' panicked: Connection reset by peer (os error 104)", top: "connection-reset"),
        Case(input: "Socket Error # 10053 Software caused connection abort.", top: "connection-aborted"),
    ]

    @Test(arguments: cases)
    func ranksTheRightConditionFirst(_ testCase: Case) throws {
        let explanation = self.explainer.explain(testCase.input, platform: testCase.platform)
        let ids = explanation.matches.map(\.condition.id)
        #expect(ids.first == testCase.top, "got \(ids.prefix(5))")
        for id in testCase.alsoMatches {
            #expect(ids.contains(id), "expected \(id) among \(ids.prefix(5))")
        }
        #expect(explanation.suggestions.isEmpty)
    }

    @Test func anAmbiguousNumberListsEveryReadingMostLikelyFirst() throws {
        let explanation = self.explainer.explain("54")
        let readings = explanation.matches.flatMap(\.matchedCodes)
        #expect(readings.contains(ErrorCode(namespace: .macos, name: "ECONNRESET", value: 54)))
        #expect(readings.contains(ErrorCode(namespace: .freebsd, name: "ECONNRESET", value: 54)))
        #expect(explanation.matches.first?.condition.id == "connection-reset")

        // 60 is ETIMEDOUT on macOS and FreeBSD and CURLE_PEER_FAILED_VERIFICATION in curl.
        let sixty = self.explainer.explain("60").matches
        #expect(sixty.map(\.condition.id).prefix(2) == ["timed-out", "curl-peer-failed-verification"])
    }

    @Test func aCurlContextKeepsOnlyCurlReadingsOfTheNumber() {
        let ids = self.explainer.explain("curl: (56) Recv failure: Connection reset by peer").matches.map(\.condition.id)
        #expect(ids == ["curl-recv-error", "connection-reset"])
    }

    @Test func platformNarrowsTheReadings() {
        let linux = self.explainer.explain("104", platform: .linux)
        #expect(linux.matches.map(\.condition.id) == ["connection-reset"])
        let macos = self.explainer.explain("104", platform: .macos)
        #expect(macos.matches.isEmpty, "104 is not a network errno on macOS")
        let windows = self.explainer.explain("54", platform: .windows)
        #expect(!windows.matches.contains { $0.matchedCodes.contains { $0.namespace == .macos } })
    }

    @Test func timestampsPidsAndAddressesAreNotErrorCodes() {
        let explanation = self.explainer.explain("2026-11-25 10:54:32 pid 113 connected to 10.0.0.104:110 in 32 ms")
        #expect(explanation.matches.isEmpty, "got \(explanation.matches.map(\.condition.id))")
    }

    @Test(arguments: ["", "   ", "\n", "zzqqxx", "hello world", "!!!???", "\u{1F4A5}\u{1F4A5}"])
    func badInputGivesNoMatch(_ input: String) {
        let explanation = self.explainer.explain(input)
        #expect(explanation.matches.isEmpty)
    }

    @Test func aTypoSuggestsTheNearestName() {
        let explanation = self.explainer.explain("WSAECONRESET")
        #expect(explanation.matches.isEmpty)
        #expect(explanation.suggestions.first == "WSAECONNRESET")
    }

    @Test func anUnknownNumberSuggestsNearbyCodes() {
        let explanation = self.explainer.explain("10099")
        #expect(explanation.matches.isEmpty)
        #expect(!explanation.suggestions.isEmpty)
    }

    @Test func largeNoiseIsHandled() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz      ")
        let noise = String((0..<100_000).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        let explanation = self.explainer.explain(noise)
        #expect(explanation.matches.isEmpty)
        #expect(explanation.suggestions.count <= 5)
    }

    @Test func editDistance() {
        #expect(Suggester.editDistance(Array("kitten".utf8), Array("sitting".utf8), limit: 5) == 3)
        #expect(Suggester.editDistance(Array("abc".utf8), Array("abc".utf8), limit: 1) == 0)
        #expect(Suggester.editDistance(Array("abcdef".utf8), Array("uvwxyz".utf8), limit: 2) == 3)
    }
}
