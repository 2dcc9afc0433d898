import ResetLabWatch
import Testing

@testable import ResetLabLab

/// A scenario's declared RSTs against the kernel's account.
@Suite struct ResetCheckTests {
    static func kernel(_ from: LabActor, _ reason: ResetReason?, at time: Int64 = 0) -> LabReset {
        LabReset(from: from, origin: .kernel(reason: reason, state: "TCP_CLOSE"), timestampNanoseconds: time)
    }

    @Test func theDeclaredReasonIsMet() {
        let check = LabResetCheck([.kernel(.server, .abortOnClose)], resets: [Self.kernel(.server, .abortOnClose)], captured: true)
        #expect(check.isMet && check.isMet(at: 0))
        #expect(check.failure() == nil)
    }

    @Test func aWrongReasonFailsAndSaysWhatTheKernelSaid() throws {
        let check = LabResetCheck([.kernel(.server, .abortOnClose)], resets: [Self.kernel(.server, .state)], captured: true)
        #expect(!check.isMet && !check.isMet(at: 0))
        let failure = try #require(check.failure())
        #expect(failure == "resets: expected server kernel RST, reason TCP_ABORT_ON_CLOSE; the kernel's account: server TCP_STATE")
    }

    @Test func theWrongSideAMissingRSTAndAnExtraOneEachFail() {
        #expect(!LabResetCheck([.kernel(.server, .state)], resets: [Self.kernel(.client, .state)], captured: true).isMet)
        #expect(!LabResetCheck([.kernel(.server, .state)], resets: [], captured: true).isMet)
        let extra = LabResetCheck([], resets: [Self.kernel(.server, .noSocket)], captured: true)
        #expect(!extra.isMet)
        #expect(extra.unexpected.count == 1)
        #expect(extra.failure()?.hasPrefix("resets: expected no RST; ") == true)
        #expect(LabResetCheck([], resets: [], captured: false).isMet)
    }

    @Test func whereARaceDecidesEitherReasonIsMetAndNoOther() throws {
        let expectation = ResetExpectation.kernel(.server, .timeWaitSocket, or: .abortOnData)
        #expect(LabResetCheck([expectation], resets: [Self.kernel(.server, .timeWaitSocket)], captured: true).isMet)
        #expect(LabResetCheck([expectation], resets: [Self.kernel(.server, .abortOnData)], captured: true).isMet)
        let other = LabResetCheck([expectation], resets: [Self.kernel(.server, .state)], captured: true)
        #expect(!other.isMet)
        let failure = try #require(other.failure())
        #expect(failure.hasPrefix("resets: expected server kernel RST, reason TCP_TIMEWAIT_SOCKET or TCP_ABORT_ON_DATA;"))
    }

    @Test func aKernelThatGivesNoReasonMeetsAnyReason() {
        #expect(LabResetCheck([.kernel(.server, .noSocket)], resets: [Self.kernel(.server, nil)], captured: true).isMet)
    }

    @Test func aForgedRSTIsCheckedOnlyWithACapture() {
        let forged = LabReset(from: .server, origin: .notFromASocket, timestampNanoseconds: 0, packetIndex: 4)
        let captured = LabResetCheck([.notFromASocket(.server)], resets: [forged], captured: true)
        #expect(captured.isMet && captured.unchecked.isEmpty)
        #expect(!LabResetCheck([.notFromASocket(.server)], resets: [Self.kernel(.server, .state)], captured: true).isMet)
        let blind = LabResetCheck([.notFromASocket(.server)], resets: [], captured: false)
        #expect(blind.isMet && blind.expected.isEmpty && blind.unchecked == [.notFromASocket(.server)])
        #expect(
            LabResetCheck([.notFromASocket(.server)], resets: [], captured: true).failure(firewall: .reset)
                == "resets: expected RST in the server's name, sent by no socket; the kernel's account: none"
        )
    }

    @Test func theWordsUseTheReasonsMeaning() {
        let reset = Self.kernel(.server, .abortOnClose)
        let sentence = LabResetWording().sentence(reset)
        #expect(sentence == "server kernel sent RST: reason TCP_ABORT_ON_CLOSE (\(ResetReason.abortOnClose.meaning)); socket state TCP_CLOSE")
        let noSocket = LabReset(from: .server, origin: .kernel(reason: .noSocket, state: "UNKNOWN"), timestampNanoseconds: 0)
        #expect(LabResetWording().sentence(noSocket).hasSuffix("(\(ResetReason.noSocket.meaning))"))
        #expect(LabResetWording().sentence(Self.kernel(.client, nil)).contains("this kernel gives no reason"))
        let forged = LabReset(from: .server, origin: .notFromASocket, timestampNanoseconds: 0)
        #expect(LabResetWording(.firewallReset).sentence(forged) == "RST in the server's name sent by the firewall (nft reject), not by a socket")
        #expect(!LabResetWording(.blackhole).sentence(forged).contains("firewall"), "a drop rule forges nothing")
        #expect(LabResetWording(.firewallReset).brief(forged) == "server: the firewall (nft reject), not a socket")
        #expect(LabResetWording().tag(reset) == "TCP_ABORT_ON_CLOSE")
    }
}
