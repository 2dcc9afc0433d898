import ResetLabCatalog
import Testing

@testable import ResetLabLab

/// Every row of the Linux-to-Winsock table in `WinsockTranslation.swift`.
@Suite struct WinsockTranslationTests {
    typealias History = WinsockTranslation.History

    struct Row: Sendable, CustomTestStringConvertible {
        var linux: CallOutcome
        var history: History
        var windows: WinsockTranslation.Result?
        var testDescription: String {
            let before = [
                self.history.peerFinSeen ? "FIN" : nil, self.history.resetSeen ? "RST" : nil,
                self.history.localShutdown ? "SHUT_WR" : nil,
            ].compactMap { $0 }
            return "\(self.linux.summary) after [\(before.joined(separator: ", "))] → "
                + (self.windows.map(\.description) ?? "nil")
        }
    }

    static func failed(_ name: String, _ history: History = .init(), _ windows: String, _ code: Int) -> Row {
        Row(linux: .failed(LabFixtures.error(name)), history: history, windows: .error(name: windows, code: code))
    }

    static let fin = History(peerFinSeen: true)
    static let rst = History(resetSeen: true)
    static let finThenRst = History(peerFinSeen: true, resetSeen: true)
    static let shutdown = History(localShutdown: true)

    static let rows: [Row] = [
        // ECONNRESET: FIN then RST is an abort; an RST alone a reset.
        failed("ECONNRESET", fin, "WSAECONNABORTED", 10053),
        failed("ECONNRESET", finThenRst, "WSAECONNABORTED", 10053),
        failed("ECONNRESET", .init(), "WSAECONNRESET", 10054),
        failed("ECONNRESET", rst, "WSAECONNRESET", 10054),
        // EPIPE: after our own shutdown, after the peer's FIN, otherwise.
        failed("EPIPE", shutdown, "WSAESHUTDOWN", 10058),
        failed("EPIPE", History(peerFinSeen: true, resetSeen: true, localShutdown: true), "WSAESHUTDOWN", 10058),
        failed("EPIPE", finThenRst, "WSAECONNABORTED", 10053),
        failed("EPIPE", fin, "WSAECONNABORTED", 10053),
        failed("EPIPE", rst, "WSAECONNRESET", 10054),
        failed("EPIPE", .init(), "WSAECONNRESET", 10054),
        // EOF: an RST after the FIN turns Windows' graceful 0 into 10053.
        Row(linux: .endOfStream, history: finThenRst, windows: .error(name: "WSAECONNABORTED", code: 10053)),
        Row(linux: .endOfStream, history: fin, windows: .sameAsLinux),
        Row(linux: .endOfStream, history: rst, windows: .sameAsLinux),
        Row(linux: .endOfStream, history: .init(), windows: .sameAsLinux),
        // One to one, whatever came before.
        failed("ETIMEDOUT", .init(), "WSAETIMEDOUT", 10060),
        failed("ETIMEDOUT", finThenRst, "WSAETIMEDOUT", 10060),
        failed("EAGAIN", .init(), "WSAETIMEDOUT", 10060),
        failed("ECONNREFUSED", .init(), "WSAECONNREFUSED", 10061),
        failed("ECONNABORTED", .init(), "WSAECONNABORTED", 10053),
        failed("EHOSTUNREACH", .init(), "WSAEHOSTUNREACH", 10065),
        failed("ENETUNREACH", .init(), "WSAENETUNREACH", 10051),
        failed("ENETDOWN", .init(), "WSAENETDOWN", 10050),
        failed("EHOSTDOWN", .init(), "WSAEHOSTDOWN", 10064),
        failed("ENOTCONN", .init(), "WSAENOTCONN", 10057),
        failed("EADDRINUSE", .init(), "WSAEADDRINUSE", 10048),
        failed("EADDRNOTAVAIL", .init(), "WSAEADDRNOTAVAIL", 10049),
        // Any success is the same success.
        Row(linux: .done, history: finThenRst, windows: .sameAsLinux),
        Row(linux: .sent(5), history: fin, windows: .sameAsLinux),
        Row(linux: .received([1, 2]), history: .init(), windows: .sameAsLinux),
        Row(linux: .frames(2), history: .init(), windows: .sameAsLinux),
        // Anything else has no equivalent in the table.
        Row(linux: .failed(LabFixtures.error("EINVAL")), history: .init(), windows: .unmapped),
        Row(linux: .failed(LinuxError(code: 9999, name: "EWEIRD")), history: finThenRst, windows: .unmapped),
        // Harness actions are not socket calls.
        Row(linux: .acted("killed the server"), history: .init(), windows: nil),
        Row(linux: .inspected, history: finThenRst, windows: nil),
    ]

    @Test(arguments: Self.rows)
    func translates(_ row: Row) {
        #expect(WinsockTranslation.translate(row.linux, history: row.history) == row.windows)
    }

    /// The names and numbers the table gives agree with the catalog's Winsock codes.
    @Test(arguments: Self.rows)
    func agreesWithTheCatalog(_ row: Row) throws {
        guard case .error(let name, let code)? = row.windows else { return }
        let catalog = try Catalog.embedded()
        let winsock = catalog.codes(named: name).map(\.code).filter { $0.namespace == .winsock }
        #expect(winsock.contains { $0.name == name && $0.value == Int64(code) }, "\(name) = \(code)")
        if case .failed(let error) = row.linux {
            let linux = catalog.codes(named: error.name).map(\.code).filter { $0.namespace == .linux }
            #expect(linux.isEmpty || linux.contains { $0.value == Int64(error.code) }, "\(error)")
        }
    }

    @Test func descriptions() {
        let aborted = WinsockTranslation.Result.error(name: "WSAECONNABORTED", code: 10053)
        #expect(aborted.description == "10053 WSAECONNABORTED")
        #expect(aborted.shortDescription == "10053")
        #expect(WinsockTranslation.Result.sameAsLinux.description == "same")
        #expect(WinsockTranslation.Result.sameAsLinux.shortDescription == "same")
        #expect(WinsockTranslation.Result.unmapped.shortDescription == "?")
    }
}
