import Foundation
import ResetLabWatch
import Testing

@testable import ResetLabLab

/// Which of the kernel's events are a scenario's, and what each RST on the wire was, without any socket.
@Suite struct ResetAttributionTests {
    static let server = TestPackets.serverPort
    static let client = TestPackets.clientPort
    /// The trace clock reads 100 s when the packets' clock reads `LabFixtures.epoch`.
    static let offset = LabFixtures.epoch - 100_000_000_000

    /// A `tcp_send_reset` line as tracefs prints it, parsed.
    static func sent(
        from source: String = "127.0.0.1:\(server)",
        to destination: String = "127.0.0.1:\(client)",
        at seconds: Double,
        state: String = "TCP_CLOSE",
        reason: String? = "TCP_ABORT_ON_CLOSE"
    ) -> KernelEvent {
        let tail = reason.map { " reason=\($0)" } ?? ""
        let line = "  resetlab-4242    [001] ..s1. \(String(format: "%.6f", seconds)): tcp_send_reset: skbaddr=0 skaddr=0 "
            + "src=\(source) dest=\(destination) state=\(state)\(tail)"
        guard let event = TraceLine(Substring(line)).flatMap(KernelEvent.init) else {
            fatalError("the test's trace line does not parse: \(line)")
        }
        return event
    }

    /// A `tcp_receive_reset` line, parsed.
    static func received(at seconds: Double) -> KernelEvent {
        let line = "  resetlab-4242    [001] ..s1. \(String(format: "%.6f", seconds)): tcp_receive_reset: family=AF_INET "
            + "sport=\(client) dport=\(server) saddr=127.0.0.1 daddr=127.0.0.1 saddrv6=::ffff:127.0.0.1 "
            + "daddrv6=::ffff:127.0.0.1 sock_cookie=1"
        guard let event = TraceLine(Substring(line)).flatMap(KernelEvent.init) else {
            fatalError("the test's trace line does not parse: \(line)")
        }
        return event
    }

    func attribution(clientPorts: Set<UInt16> = [client], exact: Bool = true) -> LabResetAttribution {
        LabResetAttribution(
            host: "127.0.0.1", serverPort: Self.server, clientPorts: clientPorts,
            clockOffsetNanoseconds: Self.offset, clockIsExact: exact
        )
    }

    @Test func eachEndOfTheScenarioIsRecognisedAndOtherConnectionsAreNot() {
        let attribution = self.attribution()
        #expect(attribution.sender(of: Self.sent(at: 100)) == .server)
        #expect(attribution.sender(of: Self.sent(from: "127.0.0.1:\(Self.client)", to: "127.0.0.1:\(Self.server)", at: 100)) == .client)
        #expect(attribution.sender(of: Self.sent(from: "[::ffff:127.0.0.1]:\(Self.server)", to: "[::ffff:127.0.0.1]:\(Self.client)", at: 100)) == .server)
        // Another program on the host: the server's port number, but another peer; or another address.
        #expect(attribution.sender(of: Self.sent(to: "127.0.0.1:51000", at: 100)) == nil)
        #expect(attribution.sender(of: Self.sent(from: "10.0.0.5:\(Self.server)", at: 100)) == nil)
        #expect(attribution.sender(of: Self.sent(from: "127.0.0.1:51000", to: "127.0.0.1:51001", at: 100)) == nil)
        #expect(attribution.sender(of: Self.received(at: 100)) == nil, "only RSTs sent count")
    }

    @Test func withNoClientPortKnownOnlyTheServersPortDecides() {
        // A refused connect reports no local port, and without a capture none is known.
        let attribution = self.attribution(clientPorts: [])
        #expect(attribution.sender(of: Self.sent(to: "127.0.0.1:51000", at: 100, state: "UNKNOWN", reason: "NO_SOCKET")) == .server)
        #expect(attribution.sender(of: Self.sent(from: "127.0.0.1:51000", to: "127.0.0.1:\(Self.server)", at: 100)) == nil)
    }

    @Test func theClientsPortsComeFromWhatItSent() {
        let ports = LabResetAttribution.clientPorts(in: LabFixtures.gracefulPackets())
        #expect(ports == [Self.client])
    }

    @Test func aCapturedRSTTakesTheReasonOfTheFirstEventFromItsSide() {
        let packets = LabFixtures.gracefulPackets()
        let rst = packets.count - 1
        let rstTime = Double(packets[rst].timestampNanoseconds - Self.offset) / 1e9
        let events = [
            Self.sent(to: "127.0.0.1:51000", at: rstTime, reason: "TCP_STATE"),  // someone else's
            Self.sent(at: rstTime + 0.000_120, state: "TCP_TIME_WAIT", reason: "TCP_TIMEWAIT_SOCKET"),
            Self.received(at: rstTime + 0.000_130),
        ]
        let resets = self.attribution().resets(events: events, packets: packets)
        #expect(resets == [
            LabReset(
                from: .server, origin: .kernel(reason: .timeWaitSocket, state: "TCP_TIME_WAIT"),
                timestampNanoseconds: packets[rst].timestampNanoseconds + 120_000, packetIndex: rst
            )
        ], "the kernel's time is when it was sent")
    }

    @Test func aRSTCapturedLongAfterItWasSentIsStillTheKernels() {
        // The capture stamps packets when it reads them: on a busy machine that can be much later.
        let packets = LabFixtures.gracefulPackets()
        let rstTime = Double(packets[packets.count - 1].timestampNanoseconds - Self.offset) / 1e9
        let events = [Self.sent(at: rstTime - 0.4, reason: "TCP_STATE"), Self.sent(at: rstTime - 0.3, reason: "TCP_ABORT_ON_DATA")]
        let resets = self.attribution().resets(events: events, packets: packets)
        #expect(resets.map(\.reason) == [.state, .abortOnData], "the first event is the captured RST's, the second was not captured")
        #expect(resets.map(\.packetIndex) == [packets.count - 1, nil])
    }

    @Test func anAbortsTracepointAfterItsPacketIsStillItsOwn() {
        // An abort fires tcp_send_reset after the RST went out: on a busy machine, tens of milliseconds after.
        let packets = LabFixtures.gracefulPackets()
        let rstTime = Double(packets[packets.count - 1].timestampNanoseconds - Self.offset) / 1e9
        let resets = self.attribution().resets(events: [Self.sent(at: rstTime + 0.040)], packets: packets)
        #expect(resets.count == 1)
        #expect(resets.first?.origin == .kernel(reason: .abortOnClose, state: "TCP_CLOSE"))
        #expect(resets.first?.packetIndex == packets.count - 1)
    }

    @Test func aCapturedRSTNoSocketSentIsSaidToBeSo() {
        let packets = LabFixtures.gracefulPackets()
        // The only event is far too late to be this RST's: the RST was forged.
        let late = Double(packets[packets.count - 1].timestampNanoseconds - Self.offset) / 1e9 + 1
        let resets = self.attribution().resets(events: [Self.sent(at: late)], packets: packets)
        #expect(resets.count == 2)
        #expect(resets[0].origin == .notFromASocket && resets[0].from == .server && resets[0].packetIndex == packets.count - 1)
        #expect(resets[1].origin == .kernel(reason: .abortOnClose, state: "TCP_CLOSE") && resets[1].packetIndex == nil)
    }

    @Test func withAnIncompleteTraceAnUnexplainedRSTIsNotCalledForged() {
        let packets = LabFixtures.gracefulPackets()
        let resets = self.attribution().resets(events: [], packets: packets, complete: false)
        #expect(resets.map(\.origin) == [.unexplained])
        #expect(LabResetWording(.firewallReset).sentence(resets[0]) == "RST from the server: who sent it is unknown (the kernel's trace is incomplete)")
    }

    @Test func withoutACaptureEveryEventIsKeptWithItsTimeOnThePacketsClock() {
        let events = [Self.sent(at: 100.5, reason: "TCP_STATE"), Self.sent(at: 100.25, reason: nil)]
        let resets = self.attribution().resets(events: events, packets: nil)
        #expect(resets.map(\.timestampNanoseconds) == [LabFixtures.epoch + 250_000_000, LabFixtures.epoch + 500_000_000])
        #expect(resets.map(\.origin) == [.kernel(reason: nil, state: "TCP_CLOSE"), .kernel(reason: .state, state: "TCP_CLOSE")])
        #expect(resets.allSatisfy { $0.packetIndex == nil && $0.from == .server })
    }

    @Test func whenTheTraceClockIsNotExactRSTsAndEventsArePairedInOrder() {
        let packets = LabFixtures.gracefulPackets()
        let resets = self.attribution(exact: false).resets(events: [Self.sent(at: 5_000)], packets: packets)
        #expect(resets.count == 1)
        #expect(resets.first?.reason == .abortOnClose && resets.first?.packetIndex == packets.count - 1)
    }
}
