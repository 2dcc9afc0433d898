/// Problems with a host name that a person can see once they are pointed out: a stray space copied along,
/// a comma for a dot, an IPv4 address with three numbers. Each is said plainly.
public enum HostNameCheck {
    /// The problems with `raw` (the host exactly as given), most important first; empty when none.
    public static func problems(_ raw: String) -> [String] {
        var problems: [String] = []
        let trimmed = raw.trimmingWhitespace
        if trimmed != raw {
            problems.append("the host name has stray whitespace around it (\"\(raw)\"): it was probed as \"\(trimmed)\"; fix it wherever it is configured")
        }
        let host = trimmed.hasPrefix("[") ? String(trimmed.dropFirst().dropLast()) : trimmed
        if host.contains(":") { return problems }  // an IPv6 address: nothing more to check
        if host.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            problems.append("the host name contains whitespace inside it: \"\(host)\"")
        }
        if host.contains(",") {
            problems.append("the host name contains a comma (\"\(host)\"): a dot was probably meant")
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if labels.dropLast().contains(where: \.isEmpty) || host.hasPrefix(".") {
            problems.append("the host name has an empty label (two dots in a row, or a leading dot): \"\(host)\"")
        }
        let numeric = labels.filter { !$0.isEmpty }.allSatisfy { $0.allSatisfy(\.isNumber) }
        if numeric && labels.count != 4 && !labels.isEmpty {
            problems.append("\"\(host)\" looks like an IPv4 address but has \(labels.count) numbers instead of 4")
        } else if numeric, labels.contains(where: { (Int($0) ?? 256) > 255 }) {
            problems.append("\"\(host)\" looks like an IPv4 address but a number is above 255")
        }
        let allowed = host.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." || $0 == "_"
        }
        if !allowed && !host.contains(",") && !host.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            problems.append("the host name contains characters a host name cannot have: \"\(host)\"")
        }
        if labels.contains(where: { $0.hasPrefix("-") || $0.hasSuffix("-") }) {
            problems.append("a part of the host name starts or ends with a hyphen: \"\(host)\"")
        }
        if labels.contains(where: { $0.utf8.count > 63 }) || host.utf8.count > 253 {
            problems.append("the host name is longer than DNS allows")
        }
        return problems
    }

    /// A remark for names that are valid but often not what was meant: a single label resolves only
    /// through the local search domains.
    public static func remarks(_ host: String) -> [String] {
        if !host.contains("."), !host.contains(":"), host != "localhost" {
            return ["\"\(host)\" has no dot: it resolves only through this machine's search domains or hosts file"]
        }
        return []
    }
}
