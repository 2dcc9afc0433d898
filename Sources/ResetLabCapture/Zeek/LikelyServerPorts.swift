/// The ports Zeek treats as "likely server ports" when a connection is first seen without its SYN: the
/// well-known ports its protocol analyzers register for by default. A side using one of them is guessed
/// to be the responder.
public struct LikelyServerPorts: Sendable {
    private var bits: [UInt64]

    /// A set of ports.
    public init(_ ports: some Sequence<UInt16>) {
        self.bits = [UInt64](repeating: 0, count: 1024)
        for port in ports { self.bits[Int(port >> 6)] |= 1 << UInt64(port & 63) }
    }

    @inline(__always)
    public func contains(_ port: UInt16) -> Bool {
        self.bits[Int(port >> 6)] & (1 << UInt64(port & 63)) != 0
    }

    /// FTP, SSH, Telnet, SMTP, DNS, HTTP and proxies, Kerberos, POP3, RPC, NetBIOS, IMAP, LDAP, TLS
    /// services, SMB, submission, RDP, MySQL, PostgreSQL, Redis, XMPP, IRC, SIP, SOCKS, MQTT, Modbus,
    /// DNP3 and others Zeek's default analyzers register.
    public static let zeekDefaults = LikelyServerPorts([
        21, 22, 23, 25, 53, 80, 81, 88, 102, 110, 135, 137, 139, 143, 389, 443, 445, 502, 563, 585, 587, 614, 631,
        636, 750, 989, 990, 992, 993, 995, 1080, 1723, 1883, 2811, 3128, 3268, 3306, 3389, 5060, 5222, 5223, 5269,
        5432, 6379, 6666, 6667, 6668, 6669, 8000, 8080, 8888, 20000,
    ])
}
