extension LabScenario {
    /// Story 5 (a): the server closes normally (FIN); the client writes anyway; the server's kernel answers with RST.
    public static let gracefulCloseThenWrite = LabScenario(
        id: "graceful-close-then-write",
        title: "Graceful close by the server, then the client sends",
        story: "Story 5 (a): 10053 versus 10054",
        summary: "The server reads one byte and closes normally, so its kernel sends FIN and the client sits in "
            + "CLOSE_WAIT. The client's next send still succeeds, but the server's kernel answers that data with "
            + "RST. Linux then reports EOF and EPIPE; Windows reports 10053 (WSAECONNABORTED).",
        explains: ["connection-aborted", "broken-pipe"],
        steps: LabStep.openConnection + [
            LabStep(.client, .send("x"), expect: .sends(1)),
            LabStep(.server, .receive(16), expect: .receives(1)),
            LabStep(.server, .close, expect: .succeeds, note: "the server's kernel sends FIN"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .send("yy"), expect: .sends(2), note: "accepted into the buffer; the peer answers with RST"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .receive(16), expect: .endOfStream, note: "Linux reports the FIN it read, not the RST"),
            LabStep(.client, .send("z"), expect: .fails("EPIPE"), note: "the RST is reported now"),
        ],
        packetExpectations: [
            .inOrder([PacketMatch(.server, .fin), .data(.client), PacketMatch(.server, .rst)])
        ],
        resetExpectations: [.kernel(.server, .timeWaitSocket)]
    )
}
