extension LabScenario {
    /// A close() with unread data in the receive buffer is an abort.
    public static let closeWithUnreadData = LabScenario(
        id: "close-with-unread-data",
        title: "Server closes with unread data in its receive buffer",
        story: "Story 3's other half: the side that gives up",
        summary: "The client's data reaches the server, which closes without reading it. Closing with unread "
            + "data makes the kernel send RST at once (RFC 9293 §3.6.1), so the client's next receive fails with "
            + "ECONNRESET (Windows: 10054) even though the server called plain close().",
        explains: ["connection-reset"],
        steps: LabStep.openConnection + [
            LabStep(.client, .send("hello"), expect: .sends(5)),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.server, .close, expect: .succeeds, note: "5 bytes are still unread"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .receive(16), expect: .fails("ECONNRESET")),
        ],
        packetExpectations: [
            .inOrder([.data(.client), PacketMatch(.server, .rst)]),
            .absent(PacketMatch(.server, .fin)),
        ],
        resetExpectations: [.kernel(.server, .abortOnClose)]
    )
}
