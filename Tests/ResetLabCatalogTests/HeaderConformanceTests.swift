import Foundation
import Testing

@testable import ResetLabCatalog

/// Every number in the catalog is a fact: these tests check each one against the platform's own header.
@Suite struct HeaderConformanceTests {
    private let catalog: Catalog

    init() throws {
        self.catalog = try Catalog.embedded()
    }

    private func codes(_ namespace: CodeNamespace) -> [ErrorCode] {
        self.catalog.conditions.flatMap(\.codes).filter { $0.namespace == namespace }
    }

    private func expect(_ namespace: CodeNamespace, matches header: [String: Int64], source: String) {
        let codes = self.codes(namespace)
        #expect(!codes.isEmpty, "no \(namespace) codes in the catalog")
        for code in codes {
            #expect(header[code.name] == code.value, "\(namespace) \(code.name) = \(code.value), but \(source) says \(header[code.name].map(String.init) ?? "nothing")")
        }
    }

    @Test(.enabled(if: PlatformHeaders.shouldRun(PlatformHeaders.linux)))
    func linuxNumbersMatchAsmGenericErrno() throws {
        let header = PlatformHeaders.cDefines(in: try PlatformHeaders.linux.map(PlatformHeaders.read))
        self.expect(.linux, matches: header, source: "asm-generic/errno.h")
    }

    @Test(.enabled(if: PlatformHeaders.shouldRun([PlatformHeaders.winerror, PlatformHeaders.winsock2])))
    func winsockNumbersMatchWinerror() throws {
        let header = PlatformHeaders.cDefines(in: [
            try PlatformHeaders.read(PlatformHeaders.winerror), try PlatformHeaders.read(PlatformHeaders.winsock2),
        ])
        self.expect(.winsock, matches: header, source: "winerror.h/winsock2.h")
    }

    @Test(.enabled(if: PlatformHeaders.shouldRun([PlatformHeaders.winerror])))
    func everyWinsockCodeFrom10004To11031IsCatalogued() throws {
        let header = PlatformHeaders.cDefines(in: [try PlatformHeaders.read(PlatformHeaders.winerror)])
        let catalogued = Set(self.codes(.winsock).map(\.name))
        let expected = header.filter { $0.key.hasPrefix("WSA") && (10_004...11_031).contains($0.value) }
        #expect(expected.count >= 90, "the winerror.h reader found only \(expected.count) codes")
        for name in expected.keys.sorted() {
            #expect(catalogued.contains(name), "\(name) (\(expected[name] ?? 0)) is missing from the catalog")
        }
        for alias in ["WSA_IO_PENDING", "WSA_IO_INCOMPLETE", "WSA_INVALID_HANDLE", "WSA_INVALID_PARAMETER",
                      "WSA_NOT_ENOUGH_MEMORY", "WSA_OPERATION_ABORTED"] {
            #expect(catalogued.contains(alias), "\(alias) is missing from the catalog")
        }
    }

    @Test(.enabled(if: PlatformHeaders.shouldRun(PlatformHeaders.macos)))
    func macosNumbersMatchDarwinErrno() throws {
        let header = PlatformHeaders.rustConstants(in: try PlatformHeaders.macos.map(PlatformHeaders.read))
        self.expect(.macos, matches: header, source: "Darwin sys/errno.h")
    }

    @Test(.enabled(if: PlatformHeaders.shouldRun(PlatformHeaders.freebsd)))
    func freebsdNumbersMatchFreeBSDErrno() throws {
        let header = PlatformHeaders.rustConstants(in: try PlatformHeaders.freebsd.map(PlatformHeaders.read))
        self.expect(.freebsd, matches: header, source: "FreeBSD sys/errno.h")
    }

    @Test(.enabled(if: PlatformHeaders.shouldRun([PlatformHeaders.curl])))
    func curlNumbersMatchCURLcode() throws {
        let header = PlatformHeaders.curlCodes(in: try PlatformHeaders.read(PlatformHeaders.curl))
        #expect(header["CURLE_RECV_ERROR"] == 56, "the CURLcode reader itself is off")
        self.expect(.curl, matches: header, source: "curl/curl.h")
    }

    @Test(.enabled(if: PlatformHeaders.shouldRun([PlatformHeaders.imnxport])))
    func mailCodesMatchImnxport() throws {
        let text = try PlatformHeaders.read(PlatformHeaders.imnxport)
        var header: [String: Int64] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("#define IXP_E_") && line.contains("HR_E(0x") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 3, let open = parts[2].range(of: "0x") else { continue }
            let hex = parts[2][open.upperBound...].prefix { $0.isHexDigit }
            if let low = Int64(hex, radix: 16) { header[String(parts[1])] = 0x800C_0000 | low }
        }
        #expect(header.count >= 40)
        let mail = self.codes(.hresult).filter { $0.name.hasPrefix("IXP_E_") }
        // imnxport.h as shipped on Debian holds the connection and SMTP groups; every code it defines must match.
        for code in mail where header[code.name] != nil {
            #expect(header[code.name] == code.value, "\(code.name) = \(code.formattedValue) but imnxport.h differs")
        }
        for (name, value) in header {
            #expect(mail.contains { $0.name == name && $0.value == value }, "\(name) from imnxport.h is missing")
        }
        // The POP3, IMAP and NNTP groups are not in that header: they must still be FACILITY_INTERNET errors.
        for code in mail {
            #expect(code.value >> 16 == 0x800C, "\(code.name) is not a FACILITY_INTERNET error HRESULT")
        }
    }

    @Test func win32HResultsWrapTheirWinsockCode() {
        for condition in self.catalog.conditions {
            let winsock = condition.codes.filter { $0.namespace == .winsock }.map(\.value)
            for code in condition.codes where code.namespace == .hresult && code.name.hasPrefix("HRESULT_FROM_WIN32") {
                #expect(winsock.contains(code.value & 0xFFFF) && code.value >> 16 == 0x8007, "\(condition.id): \(code.name)")
            }
        }
    }

    @Test func dotnetSocketErrorsEqualTheirWinsockCode() {
        for condition in self.catalog.conditions {
            let winsock = condition.codes.filter { $0.namespace == .winsock }.map(\.value)
            for code in condition.codes where code.namespace == .dotnet {
                #expect(winsock.contains(code.value), "\(condition.id): \(code.name) = \(code.value)")
                #expect(Self.dotnetMembers[code.name.replacingOccurrences(of: "SocketError.", with: "")] == code.value,
                        "\(code.name) is not a System.Net.Sockets.SocketError member with that value")
            }
        }
    }

    @Test func everyDotnetSocketErrorMemberIsCatalogued() {
        let catalogued = Set(self.codes(.dotnet).map(\.name))
        for member in Self.dotnetMembers.keys.sorted() {
            #expect(catalogued.contains("SocketError.\(member)"), "SocketError.\(member) is missing from the catalog")
        }
    }

    @Test func bsdDerivedWinsockCodesAreTenThousandPlusTheBSDErrno() {
        for condition in self.catalog.conditions {
            let winsock = condition.codes.filter { $0.namespace == .winsock && (10_004...10_071).contains($0.value) }
            for code in condition.codes where code.namespace == .freebsd && code.name != "ENOTSUP" {
                #expect(winsock.allSatisfy { $0.value == 10_000 + code.value }, "\(condition.id): \(code.name)")
            }
        }
    }

    /// System.Net.Sockets.SocketError, as documented for .NET.
    static let dotnetMembers: [String: Int64] = [
        "Interrupted": 10004, "AccessDenied": 10013, "Fault": 10014, "InvalidArgument": 10022,
        "TooManyOpenSockets": 10024, "WouldBlock": 10035, "InProgress": 10036, "AlreadyInProgress": 10037,
        "NotSocket": 10038, "DestinationAddressRequired": 10039, "MessageSize": 10040, "ProtocolType": 10041,
        "ProtocolOption": 10042, "ProtocolNotSupported": 10043, "SocketNotSupported": 10044,
        "OperationNotSupported": 10045, "ProtocolFamilyNotSupported": 10046, "AddressFamilyNotSupported": 10047,
        "AddressAlreadyInUse": 10048, "AddressNotAvailable": 10049, "NetworkDown": 10050,
        "NetworkUnreachable": 10051, "NetworkReset": 10052, "ConnectionAborted": 10053, "ConnectionReset": 10054,
        "NoBufferSpaceAvailable": 10055, "IsConnected": 10056, "NotConnected": 10057, "Shutdown": 10058,
        "TimedOut": 10060, "ConnectionRefused": 10061, "HostDown": 10064, "HostUnreachable": 10065,
        "ProcessLimit": 10067, "SystemNotReady": 10091, "VersionNotSupported": 10092, "NotInitialized": 10093,
        "Disconnecting": 10101, "TypeNotFound": 10109, "HostNotFound": 11001, "TryAgain": 11002,
        "NoRecovery": 11003, "NoData": 11004, "IOPending": 997, "OperationAborted": 995,
    ]
}
