import Testing

@testable import ResetLabProbe

/// URLs as people write them, and the errors for those that cannot be probed.
@Suite struct ProbeTargetTests {
    @Test(arguments: [
        ("smtp://mail.example.com", ProbeTarget.Scheme.smtp, "mail.example.com", 25),
        ("smtps://mail.example.com", .smtps, "mail.example.com", 465),
        ("SMTP://mail.example.com:587", .smtp, "mail.example.com", 587),
        ("ftp://ftp.example.com", .ftp, "ftp.example.com", 21),
        ("https://www.example.com/health", .https, "www.example.com", 443),
        ("http://[2001:db8::5]:8080/", .http, "2001:db8::5", 8080),
        ("tcp://10.0.0.5:8443", .tcp, "10.0.0.5", 8443),
        ("tls://10.0.0.5:993", .tls, "10.0.0.5", 993),
    ])
    func parsesSchemeHostAndPort(_ text: String, _ scheme: ProbeTarget.Scheme, _ host: String, _ port: Int) throws {
        let target = try ProbeTarget(parsing: text)
        #expect(target.scheme == scheme)
        #expect(target.host == host)
        #expect(target.port == port)
    }

    @Test func ftpLoginAndDirectory() throws {
        let target = try ProbeTarget(parsing: "ftp://alice:s%40cret@ftp.example.com:2121/incoming/")
        #expect(target.user == "alice")
        #expect(target.password == "s@cret")
        #expect(target.path == "/incoming/")
        #expect(target.port == 2121)
        #expect(target.displayName == "ftp://alice@ftp.example.com:2121")
    }

    @Test func strayWhitespaceIsKeptForTheNameCheck() throws {
        let target = try ProbeTarget(parsing: "smtp:// mail.example.com :25")
        #expect(target.host == "mail.example.com")
        #expect(target.rawHost == " mail.example.com ")
        #expect(HostNameCheck.problems(target.rawHost).first?.contains("stray whitespace") == true)
    }

    @Test(arguments: [
        ("mail.example.com", "not a URL"),
        ("gopher://example.com", "Unknown scheme 'gopher'"),
        ("tcp://10.0.0.5", "needs a port"),
        ("smtp://mail.example.com:99999", "is not a port"),
        ("smtp://mail.example.com:abc", "is not a port"),
        ("smtp://user@mail.example.com", "only used by ftp"),
        ("http://2001:db8::5/", "in brackets"),
        ("smtp://", "names no host"),
    ])
    func badURLsSayWhatToWrite(_ text: String, _ message: String) {
        #expect {
            try ProbeTarget(parsing: text)
        } throws: { error in
            (error as? ProbeTargetError)?.description.contains(message) == true
        }
    }

    @Test(arguments: [
        ("mail,example.com", "comma"),
        ("mail..example.com", "empty label"),
        ("192.168.1", "3 numbers instead of 4"),
        ("192.168.1.300", "above 255"),
        ("-mail.example.com", "hyphen"),
        ("mail example.com", "whitespace inside"),
    ])
    func typoShapedNamesAreSaidPlainly(_ host: String, _ words: String) {
        let problems = HostNameCheck.problems(host)
        #expect(problems.contains { $0.contains(words) }, "\(problems)")
    }

    @Test(arguments: ["mail.example.com", "127.0.0.1", "localhost", "2001:db8::1", "mx-1.example.co.uk"])
    func goodNamesHaveNoProblems(_ host: String) {
        #expect(HostNameCheck.problems(host).isEmpty)
    }
}
