extension LabScenario {
    /// Story 5 (b): the server process dies while data it never read sits in its kernel.
    public static let crashWithUnreadData = LabScenario(
        id: "crash-with-unread-data",
        title: "Server crashes (SIGKILL) with unread data queued",
        story: "Story 5 (b): 10053 versus 10054",
        summary: "The client sends 100 bytes that reach the server's kernel but are never read; then the server "
            + "process is killed with SIGKILL. The kernel closes the socket with data still queued, so it sends "
            + "RST, not FIN. The client's next receive fails with ECONNRESET (Windows: 10054).",
        explains: ["connection-reset"],
        steps: LabStep.openConnection + [
            LabStep(.client, .sendBytes(100), expect: .sends(100)),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.harness, .killServer, note: "the data is in the server's kernel, unread"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .receive(4096), expect: .fails("ECONNRESET")),
            LabStep(.client, .send("x"), expect: .fails("EPIPE"), note: "after a reset, writes fail with EPIPE"),
        ],
        packetExpectations: [
            .inOrder([.data(.client), PacketMatch(.server, .rst)]),
            .absent(PacketMatch(.server, .fin)),
        ],
        resetExpectations: [.kernel(.server, .abortOnClose)]
    )
}
