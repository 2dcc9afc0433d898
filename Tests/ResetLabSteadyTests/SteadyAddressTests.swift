import ResetLabSteady
import Testing

@Suite struct SteadyAddressTests {
    @Test(arguments: [
        ("tcp://127.0.0.1:7400", "127.0.0.1", 7400),
        ("127.0.0.1:7400", "127.0.0.1", 7400),
        ("TCP://mail.example:25/", "mail.example", 25),
        ("[::1]:9000", "::1", 9000),
        ("tcp://[fe80::1]:1", "fe80::1", 1),
    ])
    func addressesParse(_ text: String, _ host: String, _ port: Int) throws {
        let address = try SteadyAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
    }

    @Test(arguments: ["", "127.0.0.1", "http://x:80", "x:0", "x:65536", "x:port", "::1:80", ":80", "[::1]80", "a b:1"])
    func badAddressesSayWhy(_ text: String) {
        #expect(throws: SteadyAddress.Problem.self) { try SteadyAddress(parsing: text) }
    }

    @Test func aListenerMayAskForAnyPort() throws {
        #expect(try SteadyAddress(parsing: "127.0.0.1:0", allowPortZero: true).port == 0)
        #expect(SteadyAddress(host: "::1", port: 5).description == "[::1]:5")
    }
}
