extension LabScenario {
    /// Story 2: the server restarts; the client keeps using its old connection.
    public static let staleAfterRestart = LabScenario(
        id: "stale-after-restart",
        title: "Stale connection after a server restart, then reconnect",
        story: "Story 2: the intranet application with irregular resets",
        summary: "The server process is killed and started again on the same port. The client's old connection "
            + "still looks usable: its send succeeds, but all the server host kept of it is the old socket's "
            + "remnant, which answers with RST, and the next send fails. A correct client notices, reconnects "
            + "and carries on. The remnant is usually a TIME_WAIT socket (reason TCP_TIMEWAIT_SOCKET); when the "
            + "client's ACK of the dying server's FIN arrives while the kernel is still closing the socket, it "
            + "stays an orphaned FIN_WAIT2 socket instead, and the reason is TCP_ABORT_ON_DATA.",
        explains: ["connection-reset", "broken-pipe"],
        steps: LabStep.openConnection + [
            LabStep(.client, .send("ping"), expect: .sends(4)),
            LabStep(.server, .receive(16), expect: .receives(4)),
            LabStep(.server, .send("pong"), expect: .sends(4)),
            LabStep(.client, .receive(16), expect: .receives(4)),
            LabStep(.harness, .killServer),
            LabStep(.harness, .restartServer),
            LabStep(.client, .send("ping"), expect: .sends(4), note: "the old connection still looks usable"),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .receive(16), expect: .endOfStream),
            LabStep(.client, .send("ping"), expect: .fails("EPIPE"), note: "the reset shows now: time to reconnect"),
            LabStep(.client, .reconnect, expect: .succeeds),
            LabStep(.server, .accept, expect: .succeeds),
            LabStep(.client, .send("ping"), expect: .sends(4)),
            LabStep(.server, .receive(16), expect: .receives(4)),
            LabStep(.server, .send("pong"), expect: .sends(4)),
            LabStep(.client, .receive(16), expect: .receives(4), note: "back in business"),
        ],
        packetExpectations: [
            .inOrder([
                PacketMatch(.server, .fin), .data(.client), PacketMatch(.server, .rst), PacketMatch(.client, .syn),
                PacketMatch(.server, [.syn, .ack]),
            ])
        ],
        resetExpectations: [.kernel(.server, .timeWaitSocket, or: .abortOnData)]
    )
}
