extension LabScenario {
    /// Keepalive probes go unanswered: the kernel gives up and resets (TCP_KEEPALIVE_TIMEOUT).
    public static let keepaliveTimeout = LabScenario(
        id: "keepalive-timeout",
        title: "Keepalive gives up on a silent peer",
        story: "Story 2's question: how keep-alive can break a connection",
        summary: "The client turns on TCP keepalive (first probe after 1 s idle, one probe), then an nftables rule "
            + "drops everything sent to the server. The probe goes unanswered, so the client's kernel ends the "
            + "connection: it sends RST (which the firewall drops too) and the waiting receive fails with "
            + "ETIMEDOUT (Windows: 10060).",
        explains: ["timed-out"],
        topology: .namespace,
        steps: LabStep.openConnection + [
            LabStep(.client, .setKeepalive(idleSeconds: 1, intervalSeconds: 1, probes: 1), expect: .succeeds),
            LabStep(.harness, .firewall(.drop)),
            LabStep(.client, .receive(16), expect: .fails("ETIMEDOUT"), note: "about 2 s: 1 s idle, 1 s for the probe"),
        ],
        packetExpectations: [
            .inOrder([PacketMatch(.client, .ack), PacketMatch(.client, .rst)]),
            .absent(PacketMatch(.server, .rst)),
        ],
        resetExpectations: [.kernel(.client, .keepaliveTimeout)]
    )
}
