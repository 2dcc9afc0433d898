/// What `resetlab probe URL` is asked to diagnose: a protocol, a host, a port, and for FTP a login.
public struct ProbeTarget: Sendable, Hashable {
    /// The conversation to hold with the endpoint.
    public enum Scheme: String, Sendable, CaseIterable {
        case tcp, tls, smtp, smtps, ftp, ftps, http, https

        /// The port used when the URL names none (`nil`: a port is required).
        public var defaultPort: Int? {
            switch self {
            case .tcp, .tls: nil
            case .smtp: 25
            case .smtps: 465
            case .ftp, .ftps: 21
            case .http: 80
            case .https: 443
            }
        }

        /// Whether TLS starts as soon as TCP connects (implicit TLS).
        public var implicitTLS: Bool { self == .tls || self == .smtps || self == .https }
    }

    public var scheme: Scheme
    /// The host exactly as written, stray whitespace included (the name check reports it).
    public var rawHost: String
    public var port: Int
    /// Whether the port came from the URL rather than the scheme's default.
    public var portWasGiven: Bool
    public var user: String?
    public var password: String?
    /// The HTTP path, `/` when absent.
    public var path: String

    /// The host with surrounding whitespace removed, and IPv6 brackets.
    public var host: String {
        var host = self.rawHost.trimmingWhitespace
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host
    }

    /// Parses `scheme://[user[:password]@]host[:port][/path]`.
    /// - Throws: ``ProbeTargetError`` with a message that says what to write instead.
    public init(parsing text: String) throws {
        guard let separator = Self.schemeSeparator(in: text) else {
            throw ProbeTargetError("'\(text)' is not a URL: write it as scheme://host[:port], e.g. smtp://mail.example.com:587 or tcp://10.0.0.5:8443.")
        }
        let schemeText = text[..<separator.lowerBound].lowercased()
        guard let scheme = Scheme(rawValue: schemeText) else {
            let known = Scheme.allCases.map(\.rawValue).joined(separator: ", ")
            throw ProbeTargetError("Unknown scheme '\(schemeText)'. Known schemes: \(known).")
        }
        var rest = text[separator.upperBound...]
        var path = "/"
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        var user: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let login = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = login.firstIndex(of: ":") {
                user = Self.percentDecoded(login[..<colon])
                password = Self.percentDecoded(login[login.index(after: colon)...])
            } else {
                user = Self.percentDecoded(login)
            }
        }
        var host = Substring(rest)
        var portText: Substring?
        if host.hasPrefix("[") {
            // [IPv6]:port
            guard let close = host.firstIndex(of: "]") else {
                throw ProbeTargetError("'\(rest)': an IPv6 address in brackets needs its closing ']'.")
            }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw ProbeTargetError("'\(rest)': after ']' only ':port' may follow.")
            }
            host = host[...close]
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        } else if host.contains(":") {
            throw ProbeTargetError("'\(rest)': write an IPv6 address in brackets, e.g. tcp://[2001:db8::5]:443.")
        }
        guard !host.trimmingWhitespace.isEmpty else {
            throw ProbeTargetError("'\(text)' names no host.")
        }
        let port: Int
        if let portText {
            guard let number = Int(portText.trimmingWhitespace), (1...65535).contains(number) else {
                throw ProbeTargetError("'\(portText)' is not a port: use a number from 1 to 65535.")
            }
            port = number
        } else if let defaultPort = scheme.defaultPort {
            port = defaultPort
        } else {
            throw ProbeTargetError("\(scheme.rawValue):// needs a port, e.g. \(scheme.rawValue)://\(host):443.")
        }
        if user != nil && scheme != Scheme.ftp && scheme != Scheme.ftps {
            throw ProbeTargetError("A user name is only used by ftp:// and ftps://; \(scheme.rawValue):// takes none.")
        }
        self.scheme = scheme
        self.rawHost = String(host)
        self.port = port
        self.portWasGiven = portText != nil
        self.user = user
        self.password = password
        self.path = path
    }

    /// The URL as a person would write it back, without the password.
    public var displayName: String {
        let login = self.user.map { "\($0)@" } ?? ""
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let path = (self.scheme == .http || self.scheme == .https) && self.path != "/" ? self.path : ""
        return "\(self.scheme.rawValue)://\(login)\(host):\(self.port)\(path)"
    }

    /// Where `://` is.
    private static func schemeSeparator(in text: String) -> Range<String.Index>? {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("://") { return index..<text.index(index, offsetBy: 3) }
            index = text.index(after: index)
        }
        return nil
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A URL `resetlab probe` cannot use, with what to write instead.
public struct ProbeTargetError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    var trimmingWhitespace: String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
