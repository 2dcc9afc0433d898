import Testing

@testable import ResetLabCapture

/// Zeek's `conn_state` and `history`, case by case, from the rules in Zeek's `main.zeek` (conn_state),
/// `TCPSessionAdapter.cc` (the endpoint state machine and `update_history`) and `TCP.cc` (who originates).
@Suite struct ZeekConnStateTests {
    /// One packet of a case: `c` or `s` (client, server), flags in tcpdump letters, payload bytes, and
    /// optionally a sequence number to send instead of the next one (a retransmission).
    struct Step: Sendable, CustomStringConvertible {
        var fromClient: Bool
        var flags: String
        var payload = 0
        var seq: UInt32?
        var window: UInt16 = 65535

        var description: String { "\(self.fromClient ? "c" : "s")\(self.flags)\(self.payload > 0 ? "\(self.payload)" : "")" }
    }

    static func c(_ flags: String, _ payload: Int = 0, seq: UInt32? = nil, window: UInt16 = 65535) -> Step {
        Step(fromClient: true, flags: flags, payload: payload, seq: seq, window: window)
    }

    static func s(_ flags: String, _ payload: Int = 0, seq: UInt32? = nil, window: UInt16 = 65535) -> Step {
        Step(fromClient: false, flags: flags, payload: payload, seq: seq, window: window)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var steps: [Step]
        var state: ZeekConnState
        var history: String
        var serverPort: UInt16 = 80
        var testDescription: String { self.name }
    }

    static let handshake = [c("S"), s("SA"), c("A")]

    static let cases: [Case] = [
        Case(name: "attempt, no reply", steps: [c("S")], state: .s0, history: "S"),
        Case(name: "SYN retransmitted with the same sequence number repeats no letter",
             steps: [c("S"), c("S", seq: 1000), c("S", seq: 1000)], state: .s0, history: "S"),
        Case(name: "established, not closed", steps: handshake, state: .s1, history: "ShA"),
        Case(name: "normal establishment and termination",
             steps: handshake + [c("PA", 10), s("A"), s("PA", 20), c("A"), c("FA"), s("FA"), c("A")],
             state: .sf, history: "ShADadFf"),
        Case(name: "a RST after both FINs is still SF",
             steps: handshake + [c("FA"), s("FA"), c("R")], state: .sf, history: "ShAFfR"),
        Case(name: "FIN then RST from one side, then the peer's FIN: SF",
             steps: handshake + [c("FA"), c("R"), s("FA")], state: .sf, history: "ShAFRf"),
        Case(name: "RST after only the responder's FIN: RSTR (the 10053 pattern)",
             steps: handshake + [s("FA"), c("PA", 2), s("R")], state: .rstr, history: "ShAfDr"),
        Case(name: "originator aborts an established connection", steps: handshake + [c("R")],
             state: .rsto, history: "ShAR"),
        Case(name: "SYN, SYN-ACK, then the originator's RST", steps: [c("S"), s("SA"), c("R")],
             state: .rsto, history: "ShR"),
        Case(name: "responder resets an established connection", steps: handshake + [c("PA", 5), s("RA")],
             state: .rstr, history: "ShADr"),
        Case(name: "rejected: RST answers the SYN", steps: [c("S"), s("RA")], state: .rej, history: "Sr"),
        Case(name: "SYN then the originator's RST, no SYN-ACK", steps: [c("S"), c("R")], state: .rstos0,
             history: "SR"),
        Case(name: "SYN, the responder's bare ACK, then the originator's RST", steps: [c("S"), s("A"), c("R")],
             state: .rstos0, history: "SaR"),
        Case(name: "a lone RST is OTH", steps: [c("R")], state: .oth, history: "R"),
        Case(name: "SYN then FIN, no reply: SH", steps: [c("S"), c("F")], state: .sh, history: "SF"),
        Case(name: "originator closes, no reply: S2", steps: handshake + [c("FA")], state: .s2, history: "ShAF"),
        Case(name: "responder closes, no reply: S3", steps: handshake + [s("FA")], state: .s3, history: "ShAf"),
        Case(name: "SYN-ACK from a server port is flipped; then its RST: RSTRH", steps: [s("SA"), s("RA")],
             state: .rstrh, history: "^hr"),
        Case(name: "SYN-ACK from a server port, then its FIN: SHR", steps: [s("SA"), s("FA")], state: .shr,
             history: "^hf"),
        Case(name: "midstream, both sides close: SF without S or h",
             steps: [c("PA", 10), s("A"), s("PA", 5), c("FA"), s("FA")], state: .sf, history: "DadFf"),
        Case(name: "midstream, first seen from the server's well-known port: flipped",
             steps: [s("PA", 5), c("A")], state: .oth, history: "^dA"),
        Case(name: "a SYN-ACK answered by an ACK is flipped (Zeek PR 2191)",
             steps: [s("SA"), c("A"), c("PA", 3), s("FA"), c("FA")], state: .sf, history: "^hADfF", serverPort: 45678),
        Case(name: "SYN-ACK, then its own RST, from no well-known port: not flipped, OTH",
             steps: [s("SA"), s("R")], state: .oth, history: "HR", serverPort: 45678),
        Case(name: "the SYN captured after its SYN-ACK: roles restored",
             steps: [s("SA"), c("S"), c("A"), c("FA"), s("FA")], state: .sf, history: "Hs^AFf", serverPort: 45678),
        Case(name: "a retransmission records T once, then at the 10th",
             steps: handshake + [c("PA", 100)] + Array(repeating: c("PA", 100, seq: 1001), count: 10),
             state: .s1, history: "ShADTT"),
        Case(name: "a retransmitted FIN repeats no letter",
             steps: handshake + [c("FA"), c("FA", seq: 1001), s("FA")], state: .sf, history: "ShAFf"),
        Case(name: "a zero window records W", steps: handshake + [c("PA", 10), s("A", window: 0)], state: .s1,
             history: "ShADaw"),
        Case(name: "FIN and RST together: I", steps: handshake + [c("FRA")], state: .rsto, history: "ShAI"),
        Case(name: "SYN and FIN together: Q", steps: [c("SF")], state: .sh, history: "Q"),
    ]

    @Test(arguments: cases)
    func stateAndHistory(_ testCase: Case) throws {
        var conversation = Conversation(serverPort: testCase.serverPort)
        for step in testCase.steps {
            if step.fromClient {
                conversation.client(step.flags, step.payload, seq: step.seq, window: step.window)
            } else {
                conversation.server(step.flags, step.payload, seq: step.seq, window: step.window)
            }
        }
        let record = try #require(conversation.record(), "\(testCase.steps) made more than one connection")
        #expect(record.zeekState == testCase.state, "\(testCase.steps)")
        #expect(record.zeekHistory == testCase.history, "\(testCase.steps)")
    }

    @Test func byteCountsLeaveOutSynAndFin() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 10)
        conversation.server("A")
        conversation.server("PA", 20)
        conversation.client("A")
        conversation.client("FA")
        conversation.server("FA")
        conversation.client("A")
        let record = try #require(conversation.record())
        #expect(record.fromOriginator.zeekBytes == 10)
        #expect(record.fromResponder.zeekBytes == 20)
        #expect(record.fromOriginator.packets == 6)
        #expect(record.fromResponder.packets == 4)
    }

    @Test func aRetransmissionDoesNotCountTwice() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 100)
        conversation.client("PA", 100, seq: 1001)
        conversation.server("A")
        let record = try #require(conversation.record())
        #expect(record.fromOriginator.zeekBytes == 100)
        #expect(record.fromOriginator.payloadBytes == 200)
        #expect(record.fromOriginator.retransmissions == 1)
    }

    /// Zeek's RSTOS0 pattern, `^\^?S[^HAFGIQ]*R.*`, on its own.
    @Test(arguments: [
        ("SR", true), ("^SR", true), ("SaR", true), ("SdrR", true), ("SAR", false), ("SHR", false), ("R", false),
        ("S", false), ("^^SR", false), ("SFR", false), ("StR", true),
    ])
    func rstos0Pattern(_ history: String, _ matches: Bool) {
        #expect(ZeekConnState.looksLikeSynThenReset(history) == matches)
    }
}
