extension LabScenario {
    /// SO_LINGER {1, 0} turns close() into an abort.
    public static let abortiveClose = LabScenario(
        id: "abortive-close",
        title: "Abortive close with SO_LINGER {1, 0}",
        story: "Story 2's question: what does SO_LINGER do?",
        summary: "The server sets SO_LINGER with a zero timeout and closes. Instead of FIN its kernel sends RST "
            + "and discards anything unsent. The client's next receive fails with ECONNRESET (Windows: 10054).",
        explains: ["connection-reset"],
        steps: LabStep.openConnection + [
            LabStep(.client, .send("hello"), expect: .sends(5)),
            LabStep(.server, .receive(16), expect: .receives(5)),
            LabStep(.server, .setAbortiveLinger, expect: .succeeds),
            LabStep(.server, .close, expect: .succeeds, note: "RST instead of FIN"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .receive(16), expect: .fails("ECONNRESET")),
        ],
        packetExpectations: [
            .inOrder([PacketMatch(.server, .rst)]),
            .absent(PacketMatch(.server, .fin)),
        ],
        resetExpectations: [.kernel(.server, .state)]
    )
}
