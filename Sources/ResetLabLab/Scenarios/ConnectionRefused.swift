extension LabScenario {
    /// Nothing listens: the kernel answers the SYN with RST.
    public static let connectionRefused = LabScenario(
        id: "connection-refused",
        title: "Connection refused: no listener",
        story: "Stories 1 and 4: the server is down",
        summary: "The server stops listening; the client connects to the now-free port. The server host's "
            + "kernel answers the SYN with RST, and connect() fails with ECONNREFUSED (Windows: 10061).",
        explains: ["connection-refused"],
        steps: [
            LabStep(.server, .listen, expect: .succeeds),
            LabStep(.server, .closeListener, expect: .succeeds, note: "the port is free again"),
            LabStep(.client, .connect, expect: .fails("ECONNREFUSED")),
        ],
        packetExpectations: [
            .inOrder([PacketMatch(.client, .syn), PacketMatch(.server, .rst)])
        ],
        resetExpectations: [.kernel(.server, .noSocket)]
    )
}
