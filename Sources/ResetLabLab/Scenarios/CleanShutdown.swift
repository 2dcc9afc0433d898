extension LabScenario {
    /// The control case: a request, a half-close, a reply, an orderly close.
    public static let cleanShutdown = LabScenario(
        id: "clean-shutdown",
        title: "Clean shutdown(SHUT_WR) exchange (the control case)",
        story: "Story 5's method: compare with what works",
        summary: "The client sends its request and shuts down its sending side (FIN). The server reads the "
            + "request and EOF, replies, and closes. Both FINs, no RST, no error anywhere.",
        explains: [],
        steps: LabStep.openConnection + [
            LabStep(.client, .send("request"), expect: .sends(7)),
            LabStep(.client, .shutdownWrite, expect: .succeeds, note: "FIN: no more requests, still reading"),
            LabStep(.server, .receive(64), expect: .receives(7)),
            LabStep(.server, .receive(64), expect: .endOfStream),
            LabStep(.server, .send("reply"), expect: .sends(5)),
            LabStep(.server, .close, expect: .succeeds),
            LabStep(.client, .receive(64), expect: .receives(5)),
            LabStep(.client, .receive(64), expect: .endOfStream),
            LabStep(.client, .close, expect: .succeeds),
        ],
        packetExpectations: [
            .inOrder([PacketMatch(.client, .fin), PacketMatch(.server, .fin)]),
            .absent(PacketMatch(.server, .rst)),
            .absent(PacketMatch(.client, .rst)),
        ]
    )
}
