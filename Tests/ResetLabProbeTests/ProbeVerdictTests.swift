import ResetLabCatalog
import Testing

@testable import ResetLabProbe

/// The verdict: where it broke, how, what an application saw, and the causes ranked with their evidence.
@Suite struct ProbeVerdictTests {
    func target(_ text: String) throws -> ProbeTarget { try ProbeTarget(parsing: text) }

    @Test func aRefusedPortBlamesTheServerFirstAndPort25TheProvider() throws {
        var findings = ProbeFindings()
        findings.connects = [("192.0.2.1", .refused), ("192.0.2.2", .refused)]
        let verdict = ProbeVerdict(target: try self.target("tcp://192.0.2.1:8443"), findings: findings)
        #expect(!verdict.healthy)
        #expect(verdict.brokeAt == "TCP connect")
        #expect(verdict.how == .refused)
        #expect(verdict.causes.first?.title.contains("not listening on port 8443") == true)

        var smtp = ProbeFindings()
        smtp.connects = [("192.0.2.1", .connectTimedOut)]
        let blocked = ProbeVerdict(target: try self.target("smtp://mail.example.com"), findings: smtp)
        #expect(blocked.causes.first?.title == "Port 25 is blocked by the provider or a firewall")
        #expect(blocked.causes.first?.next?.contains("smtp://mail.example.com:587") == true)
    }

    @Test func aConnectionResetAsSoonAsItIsAcceptedBlamesAFirewallOrTheServer() throws {
        var findings = ProbeFindings()
        findings.connects = [("127.0.0.1", .reset)]
        let verdict = ProbeVerdict(target: try self.target("ftp://127.0.0.1:2121"), findings: findings)
        #expect(verdict.brokeAt == "TCP connect")
        #expect(verdict.how == .reset)
        #expect(verdict.causes.first?.title == "A firewall, antivirus or the server reset the connection")
        #expect(verdict.causes.first?.evidence.hasPrefix("TCP connect:") == true)
    }

    @Test func a421TooManyConnectionsIsTheConnectionLimit() throws {
        var findings = ProbeFindings()
        findings.connects = [("127.0.0.1", nil)]
        findings.firstFailure = ("FTP banner", .errorReply(code: 421, text: "There are too many connections from your internet address."))
        let verdict = ProbeVerdict(target: try self.target("ftp://127.0.0.1"), findings: findings)
        #expect(verdict.brokeAt == "FTP banner")
        #expect(verdict.causes.first?.title.contains("connection limit") == true)
        #expect(verdict.how?.applicationError == nil)
    }

    @Test func aResetAfterTheBannerBlamesAMiddleboxThenACrash() throws {
        var findings = ProbeFindings()
        findings.connects = [("127.0.0.1", nil)]
        findings.firstFailure = ("SMTP EHLO", .reset)
        let verdict = ProbeVerdict(target: try self.target("smtp://127.0.0.1:2525"), findings: findings)
        #expect(verdict.how?.applicationError?.windows == "WSAECONNRESET (10054)")
        #expect(verdict.causes.map(\.title).first?.contains("firewall, antivirus or the server reset") == true)
        #expect(verdict.causes.count == 2)
    }

    @Test func passiveBlockedButActiveWorkingSaysUseActive() throws {
        var findings = ProbeFindings()
        findings.connects = [("127.0.0.1", nil)]
        findings.ftpDataModes = [("PASV", .refused), ("EPSV", .refused), ("PORT", nil), ("EPRT", nil)]
        let verdict = ProbeVerdict(target: try self.target("ftp://127.0.0.1"), findings: findings)
        #expect(verdict.causes.first?.title.hasPrefix("Passive mode is blocked") == true)
        #expect(verdict.causes.first?.evidence.contains("PORT and EPRT worked") == true)

        findings.ftpDataModes = [("PASV", nil), ("EPSV", nil), ("PORT", .connectTimedOut), ("EPRT", .connectTimedOut)]
        let active = ProbeVerdict(target: try self.target("ftp://127.0.0.1"), findings: findings)
        #expect(active.causes.first?.title.hasPrefix("Active mode is blocked") == true)
    }

    @Test func idleTimeoutsAndLimitsAreNamedWithNumbers() throws {
        var findings = ProbeFindings()
        findings.connects = [("127.0.0.1", nil)]
        findings.idle = IdleFinding(survivedSeconds: 4.3, killedSeconds: 5.2, how: .reset, closedUnprompted: false, searchedUpTo: 60)
        findings.connectionLimit = (2, .errorReply(code: 421, text: "too many"))
        let verdict = ProbeVerdict(target: try self.target("ftp://127.0.0.1"), findings: findings)
        let titles = verdict.causes.map(\.title)
        #expect(titles.contains("The server limits connections per client to 2"))
        #expect(titles.contains { $0.hasPrefix("Idle connections are killed after about 4.8 s") })
        #expect(verdict.causes.first { $0.title.hasPrefix("Idle") }?.evidence.contains("between 4.3 and 5.2 s") == true)
        #expect(verdict.causes.first { $0.title.hasPrefix("Idle") }?.next?.contains("every 3.4 s") == true)
    }

    @Test func nothingWrongIsHealthy() throws {
        var findings = ProbeFindings()
        findings.connects = [("127.0.0.1", nil)]
        let verdict = ProbeVerdict(target: try self.target("http://127.0.0.1:8080"), findings: findings)
        #expect(verdict.healthy)
        #expect(verdict.brokeAt == nil)
        #expect(ProbeReport.verdict(verdict).contains("Healthy"))
    }

    /// Every `explain` number the verdict points to is in the catalog.
    @Test func everyApplicationErrorIsExplained() throws {
        let catalog = try Catalog.embedded()
        let breakages: [Breakage] = [.refused, .connectTimedOut, .timedOut, .unreachable("x"), .reset, .closed, .nameNotFound("x")]
        for breakage in breakages {
            let query = try #require(breakage.applicationError?.explain)
            #expect(!catalog.codes(value: Int64(query) ?? -1).isEmpty, "\(breakage): explain \(query) finds nothing")
        }
    }
}
