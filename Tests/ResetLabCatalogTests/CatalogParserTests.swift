import Testing

@testable import ResetLabCatalog

@Suite struct CatalogParserTests {
    private let parser = CatalogParser()

    @Test func parsesAFullStanza() throws {
        let text = """
            # a comment
            Condition: connection-reset
            Title: Connection reset by peer
            Depth: deep
            Summary: The peer tore the
             connection down.
            Wire: An RST arrived.
            Actor: peer-or-network
            Codes:
             winsock WSAECONNRESET 10054
             hresult HRESULT_FROM_WIN32(WSAECONNRESET) 0x80072746
            Messages:
             linux | Connection reset by peer
            Causes:
             First cause.
             Second cause.
            Confirm:
             Look.
            Fix:
             Mend.
            Filter: tcp[tcpflags] & tcp-rst != 0
            See-Also: broken-pipe, timed-out

            Condition: broken-pipe
            Title: Broken pipe
            Depth: brief
            Summary: Writing to a closed connection.
            """
        let conditions = try self.parser.parse(text, file: "test.catalog")
        #expect(conditions.count == 2)
        let reset = try #require(conditions.first)
        #expect(reset.id == "connection-reset")
        #expect(reset.summary == "The peer tore the connection down.")
        #expect(reset.actor == .peerOrNetwork)
        #expect(reset.codes == [
            ErrorCode(namespace: .winsock, name: "WSAECONNRESET", value: 10054),
            ErrorCode(namespace: .hresult, name: "HRESULT_FROM_WIN32(WSAECONNRESET)", value: 0x8007_2746),
        ])
        #expect(reset.messages == [RuntimeMessage(runtime: "linux", text: "Connection reset by peer")])
        #expect(reset.causes == ["First cause.", "Second cause."])
        #expect(reset.captureFilter == "tcp[tcpflags] & tcp-rst != 0")
        #expect(reset.seeAlso == ["broken-pipe", "timed-out"])
        #expect(conditions[1].depth == .brief)
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var messageFragment: String
        var testDescription: String { self.messageFragment }
    }

    static let badInputs: [BadInput] = [
        BadInput(text: " orphan continuation", line: 1, messageFragment: "continuation line before any field"),
        BadInput(text: "Condition: a\nTitel: x", line: 2, messageFragment: "unknown field 'Titel'"),
        BadInput(text: "Condition: a\nCondition: b", line: 2, messageFragment: "appears twice"),
        BadInput(text: "no colon here", line: 1, messageFragment: "expected 'Field: value'"),
        BadInput(text: "Condition: a\nTitle: t\nDepth: shallow\nSummary: s", line: 1, messageFragment: "Depth must be"),
        BadInput(text: "Condition: a\nDepth: brief\nSummary: s", line: 1, messageFragment: "no 'Title' field"),
        BadInput(
            text: "Condition: a\nTitle: t\nDepth: brief\nSummary: s\nCodes:\n winsock WSAECONNRESET ten",
            line: 6,
            messageFragment: "code line must be"
        ),
        BadInput(
            text: "Condition: a\nTitle: t\nDepth: brief\nSummary: s\nCodes:\n solaris ECONNRESET 131",
            line: 6,
            messageFragment: "code line must be"
        ),
        BadInput(
            text: "Condition: a\nTitle: t\nDepth: brief\nSummary: s\nMessages:\n cobol | Oops happened",
            line: 6,
            messageFragment: "unknown runtime 'cobol'"
        ),
        BadInput(
            text: "Condition: a\nTitle: t\nDepth: brief\nSummary: s\nMessages:\n linux Connection reset",
            line: 6,
            messageFragment: "'<runtime> | <text>'"
        ),
        BadInput(text: "Condition: a\nTitle: t\nDepth: deep\nSummary: s\nActor: aliens", line: 1, messageFragment: "Actor 'aliens'"),
    ]

    @Test(arguments: badInputs)
    func reportsTheLineOfTheFirstProblem(_ input: BadInput) {
        #expect {
            _ = try self.parser.parse(input.text, file: "bad.catalog")
        } throws: { error in
            guard let error = error as? CatalogError else { return false }
            return error.file == "bad.catalog" && error.line == input.line
                && error.message.contains(input.messageFragment)
        }
    }

    @Test(arguments: [
        ("winsock WSAECONNRESET 10054", ErrorCode(namespace: .winsock, name: "WSAECONNRESET", value: 10054)),
        ("hresult IXP_E_FAILED_TO_CONNECT 0x800CCC0E", ErrorCode(namespace: .hresult, name: "IXP_E_FAILED_TO_CONNECT", value: 0x800C_CC0E)),
        ("linux  ECONNRESET   104", ErrorCode(namespace: .linux, name: "ECONNRESET", value: 104)),
    ])
    func parsesCodeLines(_ line: String, _ expected: ErrorCode) {
        #expect(CatalogParser.parseCode(line) == expected)
    }

    @Test func formatsHResultsAsHexAndSigned() {
        let code = ErrorCode(namespace: .hresult, name: "IXP_E_FAILED_TO_CONNECT", value: 0x800C_CC0E)
        #expect(code.formattedValue == "0x800CCC0E")
        #expect(code.signedHResult == -2_146_644_978)
        #expect(ErrorCode(namespace: .linux, name: "EPIPE", value: 32).formattedValue == "32")
    }
}
