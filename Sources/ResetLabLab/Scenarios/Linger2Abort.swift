extension LabScenario {
    /// TCP_LINGER2 below zero: closing a socket in FIN_WAIT2 aborts it (TCP_ABORT_ON_LINGER).
    public static let linger2Abort = LabScenario(
        id: "linger2-abort",
        title: "Close in FIN_WAIT2 with TCP_LINGER2 below zero",
        story: "Story 2's question about linger: the other linger option",
        summary: "The server sets TCP_LINGER2 to -1 (do not wait in FIN_WAIT2), shuts down its sending side (FIN) "
            + "and, once the client has acknowledged the FIN, closes. Instead of waiting for the client's FIN its "
            + "kernel aborts with RST. The client has read EOF; its next send fails with EPIPE.",
        explains: ["connection-aborted", "broken-pipe"],
        steps: LabStep.openConnection + [
            LabStep(.client, .send("hello"), expect: .sends(5)),
            LabStep(.server, .receive(16), expect: .receives(5)),
            LabStep(.server, .setLinger2(seconds: -1), expect: .succeeds),
            LabStep(.server, .shutdownWrite, expect: .succeeds, note: "FIN; the client's ACK puts it in FIN_WAIT2"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .receive(16), expect: .endOfStream),
            LabStep(.server, .close, expect: .succeeds, note: "in FIN_WAIT2 with TCP_LINGER2 -1: RST"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .send("x"), expect: .fails("EPIPE"), note: "after the FIN, the RST shows as EPIPE"),
        ],
        packetExpectations: [
            .inOrder([PacketMatch(.server, .fin), PacketMatch(.server, .rst)])
        ],
        resetExpectations: [.kernel(.server, .abortOnLinger)]
    )
}
