import Testing

@testable import ResetLabLab

@Suite struct AgentProtocolTests {
    @Test(arguments: [
        AgentCommand.listen(host: "127.0.0.1", port: 0),
        .closeListener,
        .connect(host: "127.0.0.1", port: 41000, userTimeoutMilliseconds: 1000),
        .reconnect(host: "127.0.0.1", port: 41000),
        .accept,
        .send(Array("hello\tworld\n".utf8)),
        .send([0, 0, 0, 7, 0xFF]),
        .receive(4096),
        .receiveFrames,
        .shutdownWrite,
        .close,
        .setAbortiveLinger,
        .setReceiveTimeout(300),
        .setUserTimeout(1000),
        .sendUntilFull,
        .setLinger2(-1),
        .setKeepalive(idle: 1, interval: 1, probes: 1),
        .inspect,
    ])
    func commandsSurviveTheLine(_ command: AgentCommand) {
        #expect(!command.line.contains("\n"))
        #expect(AgentCommand(line: command.line) == command)
    }

    @Test(arguments: [
        AgentReply(stateBefore: .established, outcome: .sent(5)),
        AgentReply(stateBefore: .closeWait, outcome: .received(Array("a\tb\n".utf8))),
        AgentReply(stateBefore: .close, outcome: .endOfStream),
        AgentReply(stateBefore: .close, outcome: .failed(LinuxError(code: 104, name: "ECONNRESET"))),
        AgentReply(stateBefore: nil, outcome: .done, port: 41234),
        AgentReply(stateBefore: .established, outcome: .frames(2)),
        AgentReply(stateBefore: nil, outcome: .done),
    ])
    func repliesSurviveTheLine(_ reply: AgentReply) {
        #expect(AgentReply(line: reply.line) == reply)
    }

    @Test(arguments: [
        "", "bogus", "recv\t-1", "send\tzz", "listen\t127.0.0.1", "connect\t1.2.3.4\t99999\t0", "linger2", "keepalive\t1\t1",
    ])
    func malformedCommandsAreRejected(_ line: String) {
        #expect(AgentCommand(line: line) == nil)
    }

    @Test(arguments: ["", "x\tok", "1\tsent\tmany", "1\terr\tECONNRESET", "99\tok", "-\tdata\tabc"])
    func malformedRepliesAreRejected(_ line: String) {
        #expect(AgentReply(line: line) == nil)
    }

    @Test func hexRoundTrips() {
        let bytes: [UInt8] = Array(0...255)
        #expect(Hex.decode(Hex.encode(bytes)) == bytes)
        #expect(Hex.decode("0A0b") == [0x0A, 0x0B])
        #expect(Hex.decode("abc") == nil)
    }

    @Test(arguments: [
        ([UInt8](), 0),
        ([0, 0, 0, 2, 65, 66], 1),
        ([0, 0, 0, 2, 65, 66, 0, 0, 0, 1, 67], 2),
        ([0, 0, 0, 2, 65, 66, 0, 0, 0, 5, 67], 1),
        ([0, 0, 0], 0),
        ([0, 0, 0, 0], 1),
    ])
    func countsCompleteLengthPrefixedMessages(_ bytes: [UInt8], _ expected: Int) {
        #expect(LengthPrefixFraming.completeMessages(in: bytes) == expected)
    }

    @Test func everyScenarioStartsWithAListeningServer() {
        for scenario in LabScenario.all {
            #expect(scenario.steps.first?.actor == .server && scenario.steps.first?.action == .listen, "\(scenario.id)")
        }
        #expect(Set(LabScenario.all.map(\.id)).count == LabScenario.all.count)
    }

    @Test func finishStepsFollowAStartedCall() {
        for scenario in LabScenario.all {
            var started: Set<LabActor> = []
            for step in scenario.steps {
                if !step.waits { started.insert(step.actor) }
                if case .finish(let actor) = step.action {
                    #expect(started.remove(actor) != nil, "\(scenario.id) finishes a call never started")
                }
            }
            #expect(started.isEmpty, "\(scenario.id) leaves a call unfinished")
        }
    }
}
