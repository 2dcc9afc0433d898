extension LabScenario {
    /// A firewall forges an RST in the server's name; the server never learns of it.
    public static let firewallReset = LabScenario(
        id: "firewall-reset",
        title: "A firewall answers with a forged RST",
        story: "Stories 1 and 4: a firewall or antivirus resets the connection",
        summary: "Once connected, an nftables rule answers everything sent to the server with `reject with tcp "
            + "reset`. The client's data is answered by an RST the server never sent: the client gets ECONNRESET "
            + "(Windows: 10054) while the server's socket is still ESTABLISHED.",
        explains: ["connection-reset"],
        topology: .namespace,
        steps: LabStep.openConnection + [
            LabStep(.harness, .firewall(.reset)),
            LabStep(.client, .send("hello"), expect: .sends(5)),
            LabStep(.harness, .pause(milliseconds: 50)),
            LabStep(.client, .receive(16), expect: .fails("ECONNRESET")),
            LabStep(.server, .inspect, expect: .inState(.established), note: "the server never saw a reset"),
        ],
        packetExpectations: [
            .inOrder([.data(.client), PacketMatch(.server, .rst)])
        ],
        resetExpectations: [.notFromASocket(.server)]
    )
}
