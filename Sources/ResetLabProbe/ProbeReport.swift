import ResetLabJSON

/// How `resetlab probe` prints: one line per step as it completes (with its details under it), then the
/// verdict; or one JSON object at the end.
public enum ProbeReport {
    /// The first lines, before any step.
    public static func header(_ target: ProbeTarget) -> String {
        "Probing \(target.displayName)" + (target.rawHost != target.host ? " (host as given: \"\(target.rawHost)\")" : "") + "\n"
    }

    /// One step, as soon as it is done.
    public static func step(_ step: ProbeStep) -> String {
        let mark: String
        switch step.status {
        case .ok: mark = "ok  "
        case .warning: mark = "warn"
        case .failed: mark = "FAIL"
        case .skipped: mark = "skip"
        }
        let time = step.milliseconds.map { Self.milliseconds($0) } ?? ""
        var text = "  \(mark)  \(Self.pad(step.title, 16)) \(Self.pad(time, 9)) \(step.summary)\n"
        for detail in step.details { text += "        \(detail)\n" }
        return text
    }

    /// The verdict block.
    public static func verdict(_ verdict: ProbeVerdict) -> String {
        var lines = ["", "Verdict"]
        if verdict.healthy {
            lines.append("  Healthy: every step worked.")
        }
        if let at = verdict.brokeAt {
            lines.append("  Broke at: \(at)" + (verdict.how.map { " — \($0.shortName)" } ?? ""))
        }
        if let error = verdict.how?.applicationError {
            lines.append("  An application would see: Linux \(error.linux); Windows \(error.windows)")
            lines.append("  See: resetlab explain \(error.explain)")
        }
        if !verdict.causes.isEmpty {
            lines.append("  Likely causes, most likely first:")
            for (index, cause) in verdict.causes.enumerated() {
                lines.append("    \(index + 1). \(cause.title)")
                lines.append("       evidence: \(cause.evidence)")
                if let next = cause.next { lines.append("       next: \(next)") }
            }
        }
        for warning in verdict.warnings { lines.append("  Note: \(warning)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Everything as one JSON document.
    public static func json(target: ProbeTarget, steps: [ProbeStep], verdict: ProbeVerdict) -> String {
        let document = JSONValue.object([
            ("target", .string(target.displayName)),
            ("scheme", .string(target.scheme.rawValue)),
            ("host", .string(target.host)),
            ("port", .integer(Int64(target.port))),
            ("steps", .array(steps.map(Self.json(step:)))),
            ("verdict", .object([
                ("healthy", .bool(verdict.healthy)),
                ("brokeAt", verdict.brokeAt.map { .string($0) } ?? .null),
                ("how", verdict.how.map { .string($0.shortName) } ?? .null),
                ("applicationError", verdict.how?.applicationError.map { error in
                    .object([("linux", .string(error.linux)), ("windows", .string(error.windows)),
                             ("explain", .string("resetlab explain \(error.explain)"))])
                } ?? .null),
                ("causes", .array(verdict.causes.map { cause in
                    .object([("title", .string(cause.title)), ("evidence", .string(cause.evidence)),
                             ("next", cause.next.map { .string($0) } ?? .null)])
                })),
                ("warnings", .array(verdict.warnings.map { .string($0) })),
            ])),
        ])
        return document.serialized() + "\n"
    }

    static func json(step: ProbeStep) -> JSONValue {
        .object([
            ("title", .string(step.title)),
            ("status", .string(step.status.rawValue)),
            ("milliseconds", step.milliseconds.map { .number(($0 * 1000).rounded() / 1000) } ?? .null),
            ("summary", .string(step.summary)),
            ("details", .array(step.details.map { .string($0) })),
            ("breakage", step.breakage.map { .string($0.shortName) } ?? .null),
        ])
    }

    static func milliseconds(_ value: Double) -> String {
        if value >= 1000 { return "\((value / 100).rounded() / 10) s" }
        if value >= 10 { return "\(Int(value.rounded())) ms" }
        return "\((value * 10).rounded() / 10) ms"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
