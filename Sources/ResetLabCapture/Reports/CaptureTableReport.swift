/// `--format table` (the default): one line per connection, and for every reset a second line saying who
/// reset, how the RST looked and what each application most likely saw.
public enum CaptureTableReport {
    public static let header =
        "   ID  CLIENT                SERVER                DURATION   PKTS C/S  BYTES C/S      STATE  HISTORY     VERDICT"

    public static func row(_ record: ConnectionRecord) -> String {
        var line = self.pad(String(record.id), 5, right: true) + "  "
        line += self.pad(record.originator.description, 22) + self.pad(record.responder.description, 22)
        line += self.pad(CaptureTimeFormat.duration(record.duration), 11)
        line += self.pad("\(record.fromOriginator.packets)/\(record.fromResponder.packets)", 10)
        line += self.pad("\(record.fromOriginator.payloadBytes)/\(record.fromResponder.payloadBytes)", 15)
        line += self.pad(record.zeekState.rawValue, 7) + self.pad(record.zeekHistory, 12) + record.verdict.sentence
        if record.startedBeforeCapture { line += " (started before the capture)" }
        for detail in self.details(record) { line += "\n       " + detail }
        return line
    }

    /// The lines under a connection: the first RST and the errors the applications saw.
    public static func details(_ record: ConnectionRecord) -> [String] {
        var lines: [String] = []
        if let reset = record.firstReset {
            var text = "first RST: from the \(reset.fromOriginator ? "client" : "server"), frame \(reset.frame), "
            text += "\(CaptureTimeFormat.duration(reset.sinceStart)) after the start, "
            text += "\(CaptureTimeFormat.duration(reset.idleBefore)) after the previous packet; "
            text += "sequence \(self.words(reset.sequenceCheck)); TTL \(reset.hopLimit)"
            if let usual = reset.senderUsualHopLimit {
                text += reset.middleboxSuspected
                    ? " but the sender's other packets had \(usual): probably injected by something in between"
                    : " like the sender's other packets"
            }
            lines.append(text)
        }
        for (side, error) in [("client", record.originatorError), ("server", record.responderError)] {
            guard let error else { continue }
            lines.append("\(side) most likely saw \(error.summary): resetlab explain \(error.explainQuery)")
        }
        return lines
    }

    /// The summary after the table.
    public static func summary(_ summary: CaptureSummary, statistics: CaptureStatistics) -> String {
        var lines = ["", "Summary"]
        lines.append("  frames \(statistics.frames), TCP segments \(statistics.tcpSegments), IP fragments \(statistics.ipFragments), other \(statistics.otherPackets), malformed \(statistics.malformedPackets)")
        for example in statistics.malformedExamples.prefix(3) {
            lines.append("    frame \(example.frame): \(example.reason)")
        }
        if statistics.ipFragments > 0 {
            lines.append("  note: \(statistics.ipFragments) IP fragments were seen and not reassembled")
        }
        lines.append("  connections \(summary.connections), ended by RST \(summary.resets), started before the capture \(summary.startedBeforeCapture)")
        lines.append("  verdicts:")
        for (id, count) in summary.verdictCounts { lines.append("    " + self.pad(String(count), 8, right: true) + "  " + id) }
        let states = ZeekConnState.allCases.compactMap { state in summary.zeekStates[state].map { "\(state.rawValue) \($0)" } }
        lines.append("  Zeek conn_state: " + (states.isEmpty ? "-" : states.joined(separator: ", ")))
        if summary.resets > 0 {
            let hosts = CaptureSummary.top(summary.resettingHosts).map { "\($0.0) (\($0.1))" }
            let ports = CaptureSummary.top(summary.resetServerPorts).map { "\($0.0) (\($0.1))" }
            lines.append("  top resetting hosts: " + hosts.joined(separator: ", "))
            lines.append("  top server ports of reset connections: " + ports.joined(separator: ", "))
            if summary.middleboxSuspected > 0 {
                lines.append("  RSTs whose TTL differs from their sender's other packets: \(summary.middleboxSuspected)")
            }
            lines.append("  time from start to reset:")
            lines += self.bars(summary.timeToReset)
            lines.append("  idle time before the reset:")
            lines += self.bars(summary.idleBeforeReset)
        }
        return lines.joined(separator: "\n")
    }

    static func bars(_ histogram: Histogram) -> [String] {
        let largest = max(1, histogram.counts.max() ?? 1)
        return zip(Histogram.labels, histogram.counts).compactMap { label, count in
            guard count > 0 else { return nil }
            let width = max(1, count * 40 / largest)
            return "    " + self.pad(label, 10) + self.pad(String(count), 8, right: true) + "  " + String(repeating: "#", count: width)
        }
    }

    static func words(_ check: ResetFacts.SequenceCheck) -> String {
        switch check {
        case .exact: "exact (what the receiver expected next)"
        case .inWindow: "in window, not exact"
        case .outside: "outside the receiver's window"
        case .notApplicable: "not checked (answers a SYN)"
        }
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let count = text.count
        guard count < width else { return right ? text : text + " " }
        let spaces = String(repeating: " ", count: width - count)
        return right ? spaces + text : text + spaces
    }
}
