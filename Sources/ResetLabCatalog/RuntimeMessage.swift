/// A text that a runtime, OS or program prints for a condition, e.g. Java's
/// `java.net.SocketException: Connection reset`.
///
/// Messages are matched case-insensitively as substrings of the user's input, so they hold only the
/// constant part of what is printed.
public struct RuntimeMessage: Sendable, Hashable {
    /// Who prints it: `linux`, `windows`, `java`, `python`, `nginx`, … (see ``RuntimeMessage/knownRuntimes``).
    public var runtime: String
    /// The text as printed, without variable parts.
    public var text: String

    public init(runtime: String, text: String) {
        self.runtime = runtime
        self.text = text
    }

    /// Every runtime label the catalog may use, with the name shown to people.
    public static let knownRuntimes: [String: String] = [
        "linux": "Linux", "macos": "macOS", "freebsd": "FreeBSD", "windows": "Windows",
        "java": "Java", "python": "Python", "dotnet": ".NET", "go": "Go", "node": "Node.js",
        "rust": "Rust", "ruby": "Ruby", "nginx": "nginx", "apache": "Apache httpd",
        "openssl": "OpenSSL", "curl": "curl", "postgresql": "PostgreSQL", "mysql": "MySQL",
        "outlook": "Outlook / Windows Mail", "ftp": "FTP clients",
    ]

    /// The runtime's name for people.
    public var runtimeDisplayName: String {
        Self.knownRuntimes[self.runtime] ?? self.runtime
    }
}
