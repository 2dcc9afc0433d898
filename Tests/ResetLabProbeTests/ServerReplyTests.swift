import Testing

@testable import ResetLabProbe

/// SMTP and FTP replies, EHLO capabilities, PASV and EPSV addresses.
@Suite struct ServerReplyTests {
    func parse(_ lines: [String]) throws -> [ServerReply] {
        var parser = ServerReplyParser()
        return try lines.compactMap { try parser.feed($0) }
    }

    @Test func singleAndMultiLineReplies() throws {
        let replies = try self.parse([
            "220 mail.example.com ESMTP", "250-mail.example.com", "250-SIZE 1048576", "250-STARTTLS",
            "250-AUTH PLAIN LOGIN", "250 8BITMIME", "230-Welcome", "free text inside an FTP reply", "230 Logged in",
        ])
        #expect(replies.map(\.code) == [220, 250, 230])
        #expect(replies[0].description == "220 mail.example.com ESMTP")
        #expect(replies[1].lines.count == 5)
        #expect(replies[2].lines == ["Welcome", "free text inside an FTP reply", "Logged in"])
        let capabilities = SMTPCapabilities(ehlo: replies[1])
        #expect(capabilities.startTLS)
        #expect(capabilities.authMechanisms == ["PLAIN", "LOGIN"])
        #expect(capabilities.sizeLimit == 1_048_576)
    }

    @Test func aReplyWithoutACodeIsAProtocolError() {
        var parser = ServerReplyParser()
        #expect(throws: ProbeProtocolError.self) { try parser.feed("HTTP/1.1 400 Bad Request") }
    }

    @Test func passiveAndExtendedPassiveReplies() throws {
        let pasv = try FTPDataEndpoint(pasv: ServerReply(code: 227, lines: ["Entering Passive Mode (127,0,0,1,168,6)."]))
        #expect(pasv.address == "127.0.0.1")
        #expect(pasv.port == 168 * 256 + 6)
        let epsv = try FTPDataEndpoint(epsv: ServerReply(code: 229, lines: ["Entering Extended Passive Mode (|||43031|)"]))
        #expect(epsv.address == nil)
        #expect(epsv.port == 43031)
        #expect(throws: ProbeProtocolError.self) { try FTPDataEndpoint(pasv: ServerReply(code: 227, lines: ["nothing here"])) }
        #expect(throws: ProbeProtocolError.self) { try FTPDataEndpoint(epsv: ServerReply(code: 500, lines: ["no"])) }
        #expect(FTPDataEndpoint.portCommand(address: "127.0.0.1", port: 43031) == "PORT 127,0,0,1,168,23")
        #expect(FTPDataEndpoint.eprtCommand(address: "::1", port: 5000) == "EPRT |2|::1|5000|")
    }

    @Test func theIdleLadderIsGeometricAndBrackets() {
        let ladder = IdleLadder(shortest: 1, longest: 10, ratio: 1.2, connections: 40)
        #expect(ladder.periods.first == 1)
        #expect(ladder.periods.last == 10)
        for (shorter, longer) in zip(ladder.periods, ladder.periods.dropFirst()) {
            #expect(longer / shorter <= 1.2001)
        }
        #expect(IdleLadder(shortest: 1, longest: 1000, ratio: 1.2, connections: 5).periods.count == 5)
        let bracket = IdleLadder.bracket(survived: [1, 1.2, 1.44, 2.5], died: [2.07, 2.49])
        #expect(bracket.above == 1.44)
        #expect(bracket.below == 2.07)
    }
}
