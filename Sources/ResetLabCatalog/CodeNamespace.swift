/// Where an error code's name and number come from.
///
/// A number only means something inside its namespace: 54 is `ECONNRESET` on macOS and FreeBSD
/// but `EXFULL` on Linux, and 10054 only exists in Winsock.
public enum CodeNamespace: String, CaseIterable, Sendable, Hashable, Comparable {
    /// Windows Sockets (`winerror.h`, `winsock2.h`): `WSAE*`, `WSA*`, `WSA_*`.
    case winsock
    /// Linux `errno` (`asm-generic/errno-base.h`, `asm-generic/errno.h`).
    case linux
    /// macOS (Darwin) `errno` (`sys/errno.h`).
    case macos
    /// FreeBSD `errno` (`sys/errno.h`).
    case freebsd
    /// .NET `System.Net.Sockets.SocketError`; the numbers equal the Winsock codes.
    case dotnet
    /// libcurl's `CURLcode` (`curl/curl.h`), also printed by the curl tool as `curl: (N)`.
    case curl
    /// A Windows `HRESULT`, such as the mail clients' `IXP_E_*` codes or `HRESULT_FROM_WIN32`.
    case hresult

    /// The name people know the namespace by, for human output.
    public var displayName: String {
        switch self {
        case .winsock: "Windows (Winsock)"
        case .linux: "Linux"
        case .macos: "macOS"
        case .freebsd: "FreeBSD"
        case .dotnet: ".NET"
        case .curl: "curl"
        case .hresult: "HRESULT"
        }
    }

    /// A label of at most eight characters, for tables.
    public var shortName: String {
        switch self {
        case .winsock: "Winsock"
        case .linux: "Linux"
        case .macos: "macOS"
        case .freebsd: "FreeBSD"
        case .dotnet: ".NET"
        case .curl: "curl"
        case .hresult: "HRESULT"
        }
    }

    /// The operating system this namespace belongs to, or `nil` when it is not tied to one (curl).
    public var platform: Platform? {
        switch self {
        case .winsock, .dotnet, .hresult: .windows
        case .linux: .linux
        case .macos: .macos
        case .freebsd: .freebsd
        case .curl: nil
        }
    }

    /// Whether numbers in this namespace are written in hexadecimal (HRESULTs are).
    public var isHexadecimal: Bool { self == .hresult }

    public static func < (lhs: CodeNamespace, rhs: CodeNamespace) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        Self.allCases.firstIndex(of: self) ?? 0
    }
}

/// An operating system that a user can narrow an explanation to (`--platform`).
public enum Platform: String, CaseIterable, Sendable, Hashable {
    case windows
    case linux
    case macos
    case freebsd

    /// The name people know the platform by.
    public var displayName: String {
        switch self {
        case .windows: "Windows"
        case .linux: "Linux"
        case .macos: "macOS"
        case .freebsd: "FreeBSD"
        }
    }
}
