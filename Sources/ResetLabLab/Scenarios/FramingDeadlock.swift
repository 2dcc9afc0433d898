extension LabScenario {
    /// Story 3: two messages arrive in one recv; a server that assumes one recv = one message deadlocks.
    public static let framingDeadlock = LabScenario(
        id: "framing-deadlock",
        title: "Framing deadlock: two messages in one recv",
        story: "Story 3: the file upload that dies after ~700 KB",
        summary: "The client sends two messages. TCP delivers both in one recv, and the server, treating one "
            + "recv as one message, acknowledges once. The client waits for the second ACK; the server waits "
            + "for a second message it already has. The server times out and aborts; the client sees a reset.",
        explains: ["connection-reset"],
        steps: LabStep.openConnection + [
            LabStep(.client, .send("ORDER 1;"), expect: .sends(8)),
            LabStep(.client, .send("ORDER 2;"), expect: .sends(8)),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.server, .receive(4096), expect: .receives(16), note: "both messages in one recv"),
            LabStep(.server, .send("ACK;"), expect: .sends(4), note: "one recv = one message = one ACK"),
            LabStep(.client, .receive(4), expect: .receives(4)),
            LabStep(.client, .receive(4), waits: false, note: "the client waits for the second ACK"),
            LabStep(.server, .setReceiveTimeout(milliseconds: 300), expect: .succeeds),
            LabStep(.server, .receive(4096), expect: .fails("EAGAIN"), note: "waits for a message it already has"),
            LabStep(.server, .setAbortiveLinger, expect: .succeeds),
            LabStep(.server, .close, expect: .succeeds, note: "the server gives up and aborts"),
            LabStep(.harness, .finish(.client), expect: .fails("ECONNRESET")),
        ],
        packetExpectations: [
            .inOrder([.data(.client), PacketMatch(.server, .rst)])
        ],
        resetExpectations: [.kernel(.server, .state)]
    )

    /// The same exchange with length-prefixed messages: nothing goes wrong.
    public static let framingLengthPrefix = LabScenario(
        id: "framing-length-prefix",
        title: "The same exchange with length-prefix framing",
        story: "Story 3: the fix",
        summary: "The same two messages, each preceded by its length. The server's one recv again holds both, "
            + "but it counts two complete messages and acknowledges both. Nobody waits, nothing is reset.",
        explains: [],
        steps: LabStep.openConnection + [
            LabStep(.client, .send("\u{0}\u{0}\u{0}\u{7}ORDER 1"), expect: .sends(11)),
            LabStep(.client, .send("\u{0}\u{0}\u{0}\u{7}ORDER 2"), expect: .sends(11)),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.server, .receiveFrames, expect: .frames(2), note: "both messages in one recv, both found"),
            LabStep(.server, .acknowledgeFrames, expect: .sends(8)),
            LabStep(.client, .receive(8), expect: .receives(8)),
            LabStep(.client, .close, expect: .succeeds),
            LabStep(.server, .receive(4096), expect: .endOfStream),
            LabStep(.server, .close, expect: .succeeds),
        ],
        packetExpectations: [
            .absent(PacketMatch(.server, .rst)),
            .absent(PacketMatch(.client, .rst)),
        ]
    )
}
