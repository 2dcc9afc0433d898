import ResetLabJSON

/// The JSON shapes of `resetlab capture --format json`: one object per connection, the summary and the
/// statistics. Field names are stable; times are nanoseconds since the epoch plus readable strings.
public enum CaptureJSON {
    public static func connection(_ record: ConnectionRecord) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .integer(Int64(record.id))),
            ("originator", self.endpoint(record.originator)),
            ("responder", self.endpoint(record.responder)),
            ("originReason", .string(record.originReason.rawValue)),
            ("start", .string(CaptureTimeFormat.utc(record.start))),
            ("startNanoseconds", .integer(record.start)),
            ("durationSeconds", .number(Double(record.duration) / 1e9)),
            ("fromOriginator", self.direction(record.fromOriginator)),
            ("fromResponder", self.direction(record.fromResponder)),
            ("zeekConnState", .string(record.zeekState.rawValue)),
            ("zeekHistory", .string(record.zeekHistory)),
            ("verdict", .string(record.verdict.identifier)),
            ("verdictText", .string(record.verdict.sentence)),
            ("startedBeforeCapture", .bool(record.startedBeforeCapture)),
        ]
        members.append(("firstReset", record.firstReset.map { self.reset($0) } ?? .null))
        members.append(("originatorSaw", record.originatorError.map { self.error($0) } ?? .null))
        members.append(("responderSaw", record.responderError.map { self.error($0) } ?? .null))
        return .object(members)
    }

    public static func summary(_ summary: CaptureSummary) -> JSONValue {
        .object([
            ("connections", .integer(Int64(summary.connections))),
            ("verdicts", .object(summary.verdictCounts.map { ($0.0, .integer(Int64($0.1))) })),
            ("zeekConnStates", .object(ZeekConnState.allCases.compactMap { state in
                summary.zeekStates[state].map { (state.rawValue, .integer(Int64($0))) }
            })),
            ("startedBeforeCapture", .integer(Int64(summary.startedBeforeCapture))),
            ("resets", .integer(Int64(summary.resets))),
            ("topResettingHosts", .array(CaptureSummary.top(summary.resettingHosts).map {
                .object([("host", .string($0.0.description)), ("resets", .integer(Int64($0.1)))])
            })),
            ("topResetServerPorts", .array(CaptureSummary.top(summary.resetServerPorts).map {
                .object([("port", .integer(Int64($0.0))), ("resets", .integer(Int64($0.1)))])
            })),
            ("middleboxSuspected", .integer(Int64(summary.middleboxSuspected))),
            ("timeToReset", self.histogram(summary.timeToReset)),
            ("idleBeforeReset", self.histogram(summary.idleBeforeReset)),
        ])
    }

    public static func statistics(_ statistics: CaptureStatistics) -> JSONValue {
        .object([
            ("frames", .integer(Int64(statistics.frames))),
            ("tcpSegments", .integer(Int64(statistics.tcpSegments))),
            ("ipFragments", .integer(Int64(statistics.ipFragments))),
            ("otherPackets", .integer(Int64(statistics.otherPackets))),
            ("malformedPackets", .integer(Int64(statistics.malformedPackets))),
            ("malformedExamples", .array(statistics.malformedExamples.map {
                .object([("frame", .integer(Int64($0.frame))), ("reason", .string($0.reason))])
            })),
            ("peakLiveConnections", .integer(Int64(statistics.peakLiveConnections))),
        ])
    }

    static func endpoint(_ endpoint: Endpoint) -> JSONValue {
        .object([("address", .string(endpoint.address.description)), ("port", .integer(Int64(endpoint.port)))])
    }

    static func direction(_ direction: ConnectionRecord.Direction) -> JSONValue {
        .object([
            ("packets", .integer(Int64(direction.packets))),
            ("payloadBytes", .integer(Int64(direction.payloadBytes))),
            ("ipBytes", .integer(Int64(direction.ipBytes))),
            ("retransmissions", .integer(Int64(direction.retransmissions))),
        ])
    }

    static func reset(_ reset: ResetFacts) -> JSONValue {
        .object([
            ("from", .string(reset.fromOriginator ? "client" : "server")),
            ("frame", .integer(Int64(reset.frame))),
            ("secondsAfterStart", .number(Double(reset.sinceStart) / 1e9)),
            ("idleSecondsBefore", .number(Double(reset.idleBefore) / 1e9)),
            ("sequence", .string(reset.sequenceCheck.rawValue)),
            ("hopLimit", .integer(Int64(reset.hopLimit))),
            ("senderUsualHopLimit", reset.senderUsualHopLimit.map { .integer(Int64($0)) } ?? .null),
            ("middleboxSuspected", .bool(reset.middleboxSuspected)),
            ("bytesInFlight", .integer(Int64(reset.bytesInFlight))),
            ("retransmissionsBefore", .integer(Int64(reset.senderRetransmissionsBefore))),
        ])
    }

    static func error(_ error: ApplicationError) -> JSONValue {
        .object([
            ("linux", .string(error.linuxName)),
            ("errno", .integer(Int64(error.linuxNumber))),
            ("linuxAlternative", error.linuxAlternative.map { .string($0) } ?? .null),
            ("winsock", .string(error.winsockName)),
            ("winsockCode", .integer(Int64(error.winsockCode))),
            ("explain", .string("resetlab explain \(error.explainQuery)")),
        ])
    }

    static func histogram(_ histogram: Histogram) -> JSONValue {
        .object(zip(Histogram.labels, histogram.counts).map { ($0, .integer(Int64($1))) })
    }
}
