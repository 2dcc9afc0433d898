extension LabScenario {
    /// Story 5 (b), second variant: the server process dies after reading everything.
    public static let crashAfterRead = LabScenario(
        id: "crash-after-read",
        title: "Server crashes (SIGKILL) after reading everything",
        story: "Story 5 (b), the variant people do not expect",
        summary: "The server reads all the client sent, then its process is killed with SIGKILL. With nothing "
            + "unread the kernel closes the socket normally and sends FIN, exactly as if the program had "
            + "called close(). The client sees EOF; its next send succeeds and is answered with RST; the send "
            + "after that fails with EPIPE.",
        explains: ["unexpected-eof", "broken-pipe"],
        steps: LabStep.openConnection + [
            LabStep(.client, .sendBytes(100), expect: .sends(100)),
            LabStep(.server, .receive(4096), expect: .receives(100)),
            LabStep(.harness, .killServer, note: "nothing is unread"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .receive(4096), expect: .endOfStream, note: "a crash looks like a normal close"),
            LabStep(.client, .send("x"), expect: .sends(1), note: "nobody is there; the kernel answers with RST"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .send("x"), expect: .fails("EPIPE")),
        ],
        packetExpectations: [
            .inOrder([PacketMatch(.server, .fin), .data(.client), PacketMatch(.server, .rst)])
        ],
        resetExpectations: [.kernel(.server, .timeWaitSocket)]
    )
}
