import ResetLabWatch
import Testing

/// Lines as this machine's kernel (6.18) printed them for a refused connect and a close with unread data.
enum TraceSamples {
    static let refusedReset =
        "         python3-30025   [001] ..s1. 19223.277504: tcp_send_reset: skbaddr=000000004181cccd skaddr=0000000000000000 src=127.0.0.1:1 dest=127.0.0.1:51446 state=UNKNOWN reason=NO_SOCKET"
    static let closeReset =
        "         python3-30025   [001] ..... 19223.327974: tcp_send_reset: skbaddr=0000000000000000 skaddr=000000006cf8eff5 src=127.0.0.1:49655 dest=127.0.0.1:53112 state=TCP_CLOSE reason=TCP_ABORT_ON_CLOSE"
    static let received =
        "         python3-30025   [001] ..s2. 19223.327966: tcp_receive_reset: family=AF_INET sport=53112 dport=49655 saddr=127.0.0.1 daddr=127.0.0.1 saddrv6=::ffff:127.0.0.1 daddrv6=::ffff:127.0.0.1 sock_cookie=f6"
    static let stateChange =
        "         python3-30025   [001] ..s2. 19223.327970: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=53112 dport=49655 saddr=127.0.0.1 daddr=127.0.0.1 saddrv6=::ffff:127.0.0.1 daddrv6=::ffff:127.0.0.1 oldstate=TCP_ESTABLISHED newstate=TCP_CLOSE"
    static let destroyed =
        "         python3-30025   [001] b..1. 19223.327977: tcp_destroy_sock: family=AF_INET sport=49655 dport=53112 saddr=127.0.0.1 daddr=127.0.0.1 saddrv6=::ffff:127.0.0.1 daddrv6=::ffff:127.0.0.1 sock_cookie=f7"
}

@Suite struct TraceLineTests {
    @Test func aLineSplitsIntoTaskTimeEventAndFields() throws {
        let line = try #require(TraceLine(TraceSamples.refusedReset[...]))
        #expect(line.command == "python3")
        #expect(line.pid == 30025)
        #expect(line.cpu == 1)
        #expect(line.timestamp == 19223.277504)
        #expect(line.event == "tcp_send_reset")
        #expect(line["reason"] == "NO_SOCKET")
        #expect(line["src"] == "127.0.0.1:1")
        #expect(line.flags == "..s1.")
        #expect(line.inInterrupt)
        #expect(try #require(TraceLine(TraceSamples.closeReset[...])).inInterrupt == false)
    }

    @Test func commandsWithSpacesDashesAndBracketsKeepTheirName() throws {
        let line = try #require(TraceLine("  my app-v2 [x]-4711  [000] d..2. 5.000001: tcp_destroy_sock: family=AF_INET sport=1 dport=2 saddr=1.2.3.4 daddr=5.6.7.8 saddrv6=::1 daddrv6=::1 sock_cookie=1"))
        #expect(line.command == "my app-v2 [x]")
        #expect(line.pid == 4711)
        #expect(line.cpu == 0)
    }

    @Test func forEachReadsEveryEventLineOfABatchAndStopsWhenAsked() {
        let batch = "# tracer: nop\n\n" + TraceSamples.refusedReset + "\ngarbage\n" + TraceSamples.closeReset + "\n\n" + TraceSamples.received
        var events: [Substring] = []
        TraceLine.forEach(in: batch) { line in
            events.append(line.event)
            return true
        }
        #expect(events == ["tcp_send_reset", "tcp_send_reset", "tcp_receive_reset"])
        var first: [Int32] = []
        TraceLine.forEach(in: batch) { line in
            first.append(line.pid)
            return false
        }
        #expect(first == [30025])
        var none = 0
        TraceLine.forEach(in: "") { _ in
            none += 1
            return true
        }
        #expect(none == 0)
    }

    @Test func fieldsAreCutOutOnlyWhenAskedAndMatchWholeNames() throws {
        let line = try #require(TraceLine(TraceSamples.refusedReset[...]))
        #expect(line["src"] == "127.0.0.1:1")
        #expect(line["sr"] == nil)
        #expect(line["skaddr"] == "0000000000000000")
        #expect(line.fields.map(\.name) == ["skbaddr", "skaddr", "src", "dest", "state", "reason"])
        // A line in the middle of a larger text: its fields are found at its own offsets.
        let text = TraceSamples.closeReset + "\n" + TraceSamples.refusedReset + "\n"
        let middle = try #require(TraceLine(text.split(separator: "\n")[1]))
        #expect(middle == line)
        #expect(middle["reason"] == "NO_SOCKET")
    }

    @Test(arguments: ["", "# tracer: nop", "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION", "garbage", "a-1 [x] ..... 1.0: e: f=1", "a-b [001] ..... 1.0: e: f=1"])
    func headersAndGarbageAreNotEvents(_ text: String) {
        #expect(TraceLine(text[...]) == nil)
    }
}

@Suite struct KernelEventTests {
    @Test func aRefusedConnectIsAResetForNoSocket() throws {
        let event = try #require(TraceLine(TraceSamples.refusedReset[...]).flatMap(KernelEvent.init))
        #expect(event.kind == .sentReset(reason: .noSocket))
        #expect(event.local.description == "127.0.0.1:1")
        #expect(event.remote.description == "127.0.0.1:51446")
        #expect(event.state == "UNKNOWN")
    }

    @Test func aCloseWithUnreadDataIsAbortOnClose() throws {
        let event = try #require(TraceLine(TraceSamples.closeReset[...]).flatMap(KernelEvent.init))
        #expect(event.kind == .sentReset(reason: .abortOnClose))
        #expect(event.state == "TCP_CLOSE")
    }

    @Test func aResetWithoutAReasonFieldIsStillAReset() throws {
        let old = TraceSamples.closeReset.replacingReason()
        let event = try #require(TraceLine(old[...]).flatMap(KernelEvent.init))
        #expect(event.kind == .sentReset(reason: nil))
    }

    @Test func theOtherEventsNameTheLocalEndFirst() throws {
        let received = try #require(TraceLine(TraceSamples.received[...]).flatMap(KernelEvent.init))
        #expect(received.kind == .receivedReset)
        #expect(received.local == TraceEndpoint(address: "127.0.0.1", port: 53112))
        #expect(received.cookie == 0xf6)
        let change = try #require(TraceLine(TraceSamples.stateChange[...]).flatMap(KernelEvent.init))
        #expect(change.kind == .stateChanged(from: "TCP_ESTABLISHED", to: "TCP_CLOSE"))
        #expect(change.state == "TCP_CLOSE")
        // Events a watch does not use are not events.
        #expect(TraceLine(TraceSamples.destroyed[...]).flatMap(KernelEvent.init) == nil)
    }

    @Test func ipv6EndsUseTheV6Fields() throws {
        let line = "  curl-9 [001] ..... 1.5: tcp_receive_reset: family=AF_INET6 sport=40000 dport=443 saddr=0.0.0.0 daddr=0.0.0.0 saddrv6=2001:db8::1 daddrv6=2001:db8::2 sock_cookie=a"
        let event = try #require(TraceLine(line[...]).flatMap(KernelEvent.init))
        #expect(event.local.description == "[2001:db8::1]:40000")
        #expect(event.remote.description == "[2001:db8::2]:443")
        let sent = "  <idle>-0 [000] ..s1. 2.5: tcp_send_reset: skbaddr=0 skaddr=0 src=[::1]:80 dest=[::1]:5000 state=TCP_ESTABLISHED reason=TCP_ABORT_ON_DATA"
        let reset = try #require(TraceLine(sent[...]).flatMap(KernelEvent.init))
        #expect(reset.local == TraceEndpoint(address: "::1", port: 80))
        #expect(reset.kind == .sentReset(reason: .abortOnData))
        #expect(reset.runningCommand == "<idle>")
    }

    @Test func otherEventsAndMissingFieldsAreSkipped() {
        #expect(TraceLine("  a-1 [000] ..... 1.0: sched_switch: prev_comm=a".dropFirst(0)).flatMap(KernelEvent.init) == nil)
        #expect(TraceLine("  a-1 [000] ..... 1.0: tcp_send_reset: src=127.0.0.1:1".dropFirst(0)).flatMap(KernelEvent.init) == nil)
        #expect(TraceLine("  a-1 [000] ..... 1.0: inet_sock_set_state: family=AF_INET protocol=IPPROTO_SCTP sport=1 dport=2 saddr=a daddr=b saddrv6=c daddrv6=d oldstate=X newstate=Y".dropFirst(0)).flatMap(KernelEvent.init) == nil)
    }
}

@Suite struct ResetReasonTests {
    @Test(arguments: [
        "NOT_SPECIFIED", "NO_SOCKET", "TCP_INVALID_ACK_SEQUENCE", "TCP_RFC7323_PAWS", "TCP_TOO_OLD_ACK", "TCP_ACK_UNSENT_DATA",
        "TCP_FLAGS", "TCP_OLD_ACK", "TCP_ABORT_ON_DATA", "TCP_TIMEWAIT_SOCKET", "INVALID_SYN", "TCP_ABORT_ON_CLOSE",
        "TCP_ABORT_ON_LINGER", "TCP_ABORT_ON_MEMORY", "TCP_STATE", "TCP_KEEPALIVE_TIMEOUT", "TCP_DISCONNECT_WITH_DATA", "ERROR",
    ])
    func everyKernelReasonIsKnownAndExplained(_ name: String) {
        let reason = ResetReason(name: name)
        #expect(reason.name == name)
        if case .other = reason { Issue.record("\(name) is not in the table") }
        #expect(!reason.meaning.contains("does not know"))
    }

    @Test func mptcpAndUnknownReasonsKeepTheirName() {
        #expect(ResetReason(name: "MPTCP_RST_EMPTCP") == .mptcp("MPTCP_RST_EMPTCP"))
        #expect(ResetReason(name: "SOMETHING_NEW") == .other("SOMETHING_NEW"))
        #expect(ResetReason(name: "SOMETHING_NEW").meaning.contains("SOMETHING_NEW"))
    }

    @Test func theMeasuredMeaningsSayWhatHappened() {
        #expect(ResetReason.noSocket.peerSees.contains("ECONNREFUSED"))
        #expect(ResetReason.abortOnClose.meaning.contains("not read"))
        #expect(ResetReason.timeWaitSocket.peerSees.contains("end-of-file"))
        #expect(ResetReason.state.meaning.contains("SO_LINGER {1, 0}"))
    }
}

extension String {
    /// The line as a kernel without the reason field prints it.
    fileprivate func replacingReason() -> String {
        self.split(separator: " ").filter { !$0.hasPrefix("reason=") }.joined(separator: " ")
    }
}
