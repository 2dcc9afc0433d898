import ResetLabJSON
import ResetLabWatch

/// Every scenario run as one JSON object, for machines.
///
/// Shape: `{"scenarios": [{"name", "title", "story", "passed", "skipped", "explains", "durationSeconds",
/// "capture": {"captured", "reason"}, "failures", "steps": [{"index", "actor", "operation", "stateBefore",
/// "result": {"kind", "bytes"?, "errno"?: {"name", "code"}, "text"}, "winsock", "expected", "met",
/// "timeSeconds", "note", "packets" (positions in the scenario's packets seen during the step)}], "packets": [{"from", "flags", "length", "seq", "ack", "ttl", "timeSeconds"}],
/// "kernelTrace": {"traced", "complete", "reason"}, "resets": [{"from", "sentBy", "reason", "meaning", "state",
/// "timeSeconds", "packet", "text"}], "expectedResets": [{"from", "sentBy", "reason", "text"}]}], "passed", "failed",
/// "skipped"}`.
///
/// `"winsock"` is `null` (a harness action), `"same"`, `"unmapped"` or `{"name", "code"}`. A packet's
/// `"timeSeconds"` counts from the scenario's first packet; `"seq"` and `"ack"` are the raw numbers.
///
/// A reset's `"sentBy"` is `"kernel"` (then `"reason"` is the kernel's name for it, e.g. `"TCP_ABORT_ON_CLOSE"`,
/// or `null` before Linux 6.10, and `"state"` the socket's state as the tracepoint prints it), `"noSocket"`
/// (forged, e.g. by a firewall) or `"unknown"` (the trace is incomplete: `"kernelTrace"`'s `"complete"` is
/// `false` and its `"reason"` says why). Its `"timeSeconds"` counts from the scenario's start, like the steps'; its
/// `"packet"` is its position in `"packets"`, or `null` when it was not captured.
public struct LabJSONReport: Sendable {
    public init() {}

    /// The document as compact JSON text and a newline.
    public func render(_ results: [LabScenarioResult]) -> String {
        self.value(results).serialized() + "\n"
    }

    /// The document as a value.
    public func value(_ results: [LabScenarioResult]) -> JSONValue {
        let counts = LabVerdict.count(results)
        return .object([
            ("scenarios", .array(results.map(self.value))),
            ("passed", .integer(Int64(counts.passed))),
            ("failed", .integer(Int64(counts.failed))),
            ("skipped", .integer(Int64(counts.skipped))),
        ])
    }

    func value(_ result: LabScenarioResult) -> JSONValue {
        let scenario = result.scenario
        let capture: JSONValue =
            switch result.capture {
            case .captured: .object([("captured", .bool(true)), ("reason", .null)])
            case .notCaptured(let reason): .object([("captured", .bool(false)), ("reason", .string(reason))])
            }
        let trace: JSONValue =
            switch result.kernelTrace {
            case .traced: .object([("traced", .bool(true)), ("complete", .bool(true)), ("reason", .null)])
            case .incomplete(let reason):
                .object([("traced", .bool(true)), ("complete", .bool(false)), ("reason", .string(reason))])
            case .notTraced(let reason):
                .object([("traced", .bool(false)), ("complete", .bool(false)), ("reason", .string(reason))])
            }
        let firstTime = result.packets.first?.timestampNanoseconds ?? 0
        return .object([
            ("name", .string(scenario.id)),
            ("title", .string(scenario.title)),
            ("story", .string(scenario.story)),
            ("passed", .bool(result.passed)),
            ("skipped", result.skipped.map(JSONValue.string) ?? .null),
            ("explains", .array(scenario.explains.map(JSONValue.string))),
            ("durationSeconds", .number(LabNumberFormat.microseconds(result.duration))),
            ("capture", capture),
            ("failures", .array(result.failures.map(JSONValue.string))),
            ("steps", .array(zip(result.records, Self.padded(result.packetIndicesByRecord(), to: result.records.count))
                .map { self.value($0, packets: $1) })),
            ("packets", .array(result.packets.map { self.value($0, firstTime: firstTime) })),
            ("kernelTrace", trace),
            ("resets", .array(result.resets.map { self.value($0, in: result) })),
            ("expectedResets", .array(scenario.resetExpectations.map(self.value))),
        ])
    }

    func value(_ reset: LabReset, in result: LabScenarioResult) -> JSONValue {
        let seconds = Double(reset.timestampNanoseconds &- result.startTimestampNanoseconds) / 1e9
        let (sentBy, reason, state): (String, ResetReason?, String?) =
            switch reset.origin {
            case .kernel(let reason, let state): ("kernel", reason, state)
            case .notFromASocket: ("noSocket", nil, nil)
            case .unexplained: ("unknown", nil, nil)
            }
        return .object([
            ("from", .string(reset.from.rawValue)),
            ("sentBy", .string(sentBy)),
            ("reason", reason.map { .string($0.name) } ?? .null),
            ("meaning", reason.map { .string($0.meaning) } ?? .null),
            ("state", state.map(JSONValue.string) ?? .null),
            ("timeSeconds", .number(LabNumberFormat.microseconds(seconds))),
            ("packet", reset.packetIndex.map { .integer(Int64($0)) } ?? .null),
            ("text", .string(LabResetWording(result.scenario).sentence(reset))),
        ])
    }

    func value(_ expectation: ResetExpectation) -> JSONValue {
        let (sentBy, reason): (String, ResetReason?) =
            switch expectation.origin {
            case .kernel(let reason): ("kernel", reason)
            case .notFromASocket: ("noSocket", nil)
            }
        return .object([
            ("from", .string(expectation.from.rawValue)),
            ("sentBy", .string(sentBy)),
            ("reason", reason.map { .string($0.name) } ?? .null),
            ("otherReasons", .array(expectation.otherReasons.map { .string($0.name) })),
            ("text", .string(expectation.description)),
        ])
    }

    func value(_ record: LabStepRecord, packets: [Int] = []) -> JSONValue {
        .object([
            ("index", .integer(Int64(record.index))),
            ("actor", .string(record.step.actor.rawValue)),
            ("operation", .string(record.step.action.label)),
            ("stateBefore", record.stateBefore.map { .string($0.netstatName) } ?? .null),
            ("result", self.value(record.outcome)),
            ("winsock", self.value(record.winsock)),
            ("expected", record.step.expectation.map { .string($0.description) } ?? .null),
            ("met", record.met.map(JSONValue.bool) ?? .null),
            ("timeSeconds", .number(LabNumberFormat.microseconds(record.time))),
            ("note", record.step.note.map(JSONValue.string) ?? .null),
            ("packets", .array(packets.map { .integer(Int64($0)) })),
        ])
    }

    private static func padded(_ groups: [[Int]], to count: Int) -> [[Int]] {
        groups + [[Int]](repeating: [], count: max(0, count - groups.count))
    }

    func value(_ outcome: CallOutcome) -> JSONValue {
        var members: [(String, JSONValue)]
        switch outcome {
        case .done:
            members = [("kind", .string("ok"))]
        case .sent(let count):
            members = [("kind", .string("sent")), ("bytes", .integer(Int64(count)))]
        case .received(let bytes):
            members = [("kind", .string("received")), ("bytes", .integer(Int64(bytes.count)))]
        case .endOfStream:
            members = [("kind", .string("eof")), ("bytes", .integer(0))]
        case .failed(let error):
            let errno: JSONValue = .object([("name", .string(error.name)), ("code", .integer(Int64(error.code)))])
            members = [("kind", .string("error")), ("errno", errno)]
        case .frames:
            members = [("kind", .string("frames"))]
        case .acted:
            members = [("kind", .string("acted"))]
        case .inspected:
            members = [("kind", .string("inspected"))]
        }
        members.append(("text", .string(outcome.summary)))
        return .object(members)
    }

    func value(_ winsock: WinsockTranslation.Result?) -> JSONValue {
        switch winsock {
        case nil: .null
        case .sameAsLinux?: .string("same")
        case .unmapped?: .string("unmapped")
        case .error(let name, let code)?: .object([("name", .string(name)), ("code", .integer(Int64(code)))])
        }
    }

    func value(_ packet: LabPacket, firstTime: Int64) -> JSONValue {
        let seconds = Double(packet.timestampNanoseconds &- firstTime) / 1e9
        return .object([
            ("from", .string(packet.from.rawValue)),
            ("flags", .string(packet.flags.letters)),
            ("length", .integer(Int64(packet.payloadLength))),
            ("seq", .integer(Int64(packet.sequenceNumber))),
            ("ack", .integer(Int64(packet.acknowledgmentNumber))),
            ("ttl", .integer(Int64(packet.timeToLive))),
            ("timeSeconds", .number(LabNumberFormat.microseconds(seconds))),
        ])
    }
}
