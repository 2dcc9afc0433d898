extension LabScenario {
    /// A firewall silently drops everything: the client's data is retransmitted until it gives up.
    public static let blackhole = LabScenario(
        id: "blackhole",
        title: "Blackholed peer: the send times out",
        story: "Story 4: a firewall or router that drops, not resets",
        summary: "Once connected, an nftables rule drops everything sent to the server. The client's data is "
            + "retransmitted and never acknowledged; with TCP_USER_TIMEOUT at 1 s the kernel gives up and the "
            + "waiting receive fails with ETIMEDOUT (Windows: 10060). No RST is ever seen.",
        explains: ["timed-out"],
        topology: .namespace,
        steps: LabStep.openConnection + [
            LabStep(.client, .setUserTimeout(milliseconds: 1000), expect: .succeeds),
            LabStep(.harness, .firewall(.drop)),
            LabStep(.client, .send("hello"), expect: .sends(5), note: "accepted into the buffer, never delivered"),
            LabStep(.client, .receive(16), expect: .fails("ETIMEDOUT"), note: "after 1 s of unanswered retransmissions"),
        ],
        packetExpectations: [
            .atLeast(2, .data(.client)),
            .absent(PacketMatch(.server, .rst)),
        ]
    )
}
