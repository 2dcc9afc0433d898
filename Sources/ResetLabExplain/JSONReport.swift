import ResetLabCatalog
import ResetLabJSON

/// Renders an ``Explanation`` as one JSON object for machines.
///
/// Shape: `{"input", "platform", "matched", "matches": [{"id", "title", "depth", "score", "evidence",
/// "matchedCodes", "codes", "summary", "wire", "actor", "causes", "confirm", "fix", "captureFilter",
/// "labScenarios", "probeCheck", "seeAlso"}], "suggestions"}`. Each code is
/// `{"namespace", "platform", "name", "value", "formatted"}` (plus `"signed"` for HRESULTs).
public struct JSONReport: Sendable {
    public init() {}

    public func render(_ explanation: Explanation) -> String {
        self.value(explanation).serialized() + "\n"
    }

    public func value(_ explanation: Explanation) -> JSONValue {
        .object([
            ("input", .string(explanation.input)),
            ("platform", explanation.platform.map { .string($0.rawValue) } ?? .null),
            ("matched", .bool(!explanation.matches.isEmpty)),
            ("matches", .array(explanation.matches.map(self.value))),
            ("suggestions", .array(explanation.suggestions.map(JSONValue.string))),
        ])
    }

    private func value(_ match: ExplanationMatch) -> JSONValue {
        let condition = match.condition
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        return .object([
            ("id", .string(condition.id)),
            ("title", .string(condition.title)),
            ("depth", .string(condition.depth.rawValue)),
            ("score", .number((match.score * 100).rounded() / 100)),
            ("evidence", strings(match.evidence)),
            ("matchedCodes", .array(match.matchedCodes.map(self.value))),
            ("codes", .array(condition.codes.map(self.value))),
            ("summary", .string(condition.summary)),
            ("wire", optional(condition.wire)),
            ("actor", optional(condition.actor?.rawValue)),
            ("causes", strings(condition.causes)),
            ("confirm", strings(condition.confirm)),
            ("fix", strings(condition.fix)),
            ("captureFilter", optional(condition.captureFilter)),
            ("labScenarios", strings(condition.labScenarios)),
            ("probeCheck", optional(condition.probeCheck)),
            ("seeAlso", strings(condition.seeAlso)),
        ])
    }

    private func value(_ code: ErrorCode) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("namespace", .string(code.namespace.rawValue)),
            ("platform", code.namespace.platform.map { .string($0.rawValue) } ?? .null),
            ("name", .string(code.name)),
            ("value", .integer(code.value)),
            ("formatted", .string(code.formattedValue)),
        ]
        if let signed = code.signedHResult { members.append(("signed", .integer(signed))) }
        return .object(members)
    }
}
