extension LabScenario {
    /// Data reaches a socket the server has already closed: the kernel aborts (TCP_ABORT_ON_DATA).
    public static let dataAfterClose = LabScenario(
        id: "data-after-close",
        title: "The client sends after the server closed (its reply still unsent)",
        story: "Story 3: one side gives up while the other is still sending",
        summary: "The server answers with more than the client reads, so the rest of its reply and its FIN wait "
            + "in its send buffer (FIN_WAIT1), and closes. The client, unaware, sends again: data for a socket "
            + "its program has closed makes the server's kernel abort with RST. The client can still read what "
            + "had arrived; its next send fails with ECONNRESET (Windows: 10054).",
        explains: ["connection-reset"],
        steps: LabStep.openConnection + [
            LabStep(.client, .send("request"), expect: .sends(7)),
            LabStep(.server, .receive(16), expect: .receives(7)),
            LabStep(
                .server, .sendUntilFull, expect: .succeeds, note: "the client reads none: the rest waits in the server"
            ),
            LabStep(.server, .close, expect: .succeeds, note: "its FIN waits behind the unsent reply"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(
                .client, .send("more"), expect: .sends(4), note: "data for a closed socket: the server's kernel aborts"
            ),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .receive(16), expect: .receives(16), note: "what had arrived can still be read"),
            LabStep(.client, .send("x"), expect: .fails("ECONNRESET"), note: "the RST is reported now"),
        ],
        packetExpectations: [
            .inOrder([.data(.server), .data(.client), PacketMatch(.server, .rst)]),
            .absent(PacketMatch(.server, .fin)),
        ],
        resetExpectations: [.kernel(.server, .abortOnData)]
    )
}
