import Foundation

/// The platforms' own header files that the catalog's numbers are checked against, as installed by
/// `scripts/test` (Debian packages `linux-libc-dev`, `mingw-w64-common`, `librust-libc-dev`,
/// `libcurl4-openssl-dev`, and `imnxport.h` unpacked from `libwine-dev` into `.build-deps/`).
enum PlatformHeaders {
    /// Under CI a missing header is a failure, never a silent skip.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let linux = ["/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h"]
    static let winerror = "/usr/share/mingw-w64/include/winerror.h"
    static let winsock2 = "/usr/share/mingw-w64/include/winsock2.h"
    static let rustLibc: String? = {
        let registry = "/usr/share/cargo/registry"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: registry)) ?? []
        return entries.filter { $0.hasPrefix("libc-0.2.") }.sorted().last.map { "\(registry)/\($0)/src/unix/bsd" }
    }()
    static var macos: [String] { self.rustLibc.map { ["\($0)/apple/mod.rs"] } ?? [] }
    static var freebsd: [String] {
        self.rustLibc.map { ["\($0)/freebsdlike/mod.rs", "\($0)/freebsdlike/freebsd/mod.rs"] } ?? []
    }
    static let curl: String = {
        let candidates = ["/usr/include/x86_64-linux-gnu/curl/curl.h", "/usr/include/aarch64-linux-gnu/curl/curl.h",
                          "/usr/include/curl/curl.h"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
    }()
    static let imnxport = packageRoot.appendingPathComponent(".build-deps/wine/usr/include/wine/wine/windows/imnxport.h").path

    static func available(_ paths: [String]) -> Bool {
        !paths.isEmpty && paths.allSatisfy { FileManager.default.fileExists(atPath: $0) }
    }

    /// Whether a header-based test runs: always under CI (where a missing file then fails), else only if present.
    static func shouldRun(_ paths: [String]) -> Bool {
        self.isCI || self.available(paths)
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    /// `#define NAME value` pairs, resolving one level of `NAME OTHER` aliases and `(BASE + n)` forms.
    static func cDefines(in texts: [String], base: [String: Int64] = [:]) -> [String: Int64] {
        var raw: [String: String] = [:]
        for text in texts {
            for line in text.split(separator: "\n") {
                let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count >= 3, parts[0] == "#define" else { continue }
                raw[String(parts[1])] = parts[2...].joined(separator: " ")
            }
        }
        var values = base
        func resolve(_ name: String, depth: Int) -> Int64? {
            if let known = values[name] { return known }
            guard depth < 8, var expression = raw[name] else { return nil }
            if let comment = expression.range(of: "/*") { expression = String(expression[..<comment.lowerBound]) }
            expression = expression.replacingOccurrences(of: "__MSABI_LONG", with: "")
            expression = expression.trimmingCharacters(in: CharacterSet(charactersIn: " ()\t"))
            var result: Int64?
            if let plus = expression.range(of: "+") {
                let lhs = expression[..<plus.lowerBound].trimmingCharacters(in: .whitespaces)
                let rhs = expression[plus.upperBound...].trimmingCharacters(in: .whitespaces)
                if let left = resolve(lhs, depth: depth + 1) ?? Int64(lhs), let right = Int64(rhs) { result = left + right }
            } else if let number = Int64(expression.hasSuffix("L") ? String(expression.dropLast()) : expression) {
                result = number
            } else {
                result = resolve(expression, depth: depth + 1)
            }
            if let result { values[name] = result }
            return result
        }
        for name in raw.keys { _ = resolve(name, depth: 0) }
        return values
    }

    /// `pub const NAME: ::c_int = value;` from the Rust libc crate's transcription of a BSD `sys/errno.h`,
    /// with aliases such as `EWOULDBLOCK = EAGAIN` resolved.
    static func rustConstants(in texts: [String]) -> [String: Int64] {
        var values: [String: Int64] = [:]
        var aliases: [String: String] = [:]
        for text in texts {
            for line in text.split(separator: "\n") where line.hasPrefix("pub const E") && line.contains("c_int") {
                guard let colon = line.firstIndex(of: ":"), let equals = line.firstIndex(of: "=") else { continue }
                let name = line[line.index(line.startIndex, offsetBy: "pub const ".count)..<colon]
                let value = line[line.index(after: equals)...].trimmingCharacters(in: CharacterSet(charactersIn: " ;"))
                if let number = Int64(value) { values[String(name)] = number } else { aliases[String(name)] = value }
            }
        }
        for (name, target) in aliases { values[name] = values[target] }
        return values
    }

    /// The members of `enum CURLcode`, numbered in declaration order.
    static func curlCodes(in text: String) -> [String: Int64] {
        guard let start = text.range(of: "CURLE_OK = 0"), let end = text.range(of: "} CURLcode;") else { return [:] }
        var values: [String: Int64] = [:]
        var next: Int64 = 0
        for line in text[start.lowerBound..<end.lowerBound].split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("CURLE_") || trimmed.hasPrefix("CURL_LAST") else { continue }
            let name = String(trimmed.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            if let equals = trimmed.firstIndex(of: "=") {
                let digits = trimmed[trimmed.index(after: equals)...].drop { $0 == " " }.prefix { $0.isNumber }
                if let explicit = Int64(digits) { next = explicit }
            }
            values[name] = next
            next += 1
        }
        return values
    }
}
