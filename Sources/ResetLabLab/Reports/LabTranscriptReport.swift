/// One scenario's run as a step-by-step transcript, for an 80-column terminal.
///
/// The title, story and summary; then one row per step (number, time, actor, call, TCP state before the
/// call, what Linux returned, what Winsock would have returned, ✓ or ✗ against the expectation) with the
/// step's note, its segments and the kernel's reason for each RST sent during it under it; then every captured
/// segment with relative sequence numbers; then the packet checks, the reset checks, the `resetlab explain`
/// entries the scenario demonstrates, and PASSED or FAILED.
public struct LabTranscriptReport: Sendable {
    /// The widest any line may be.
    static let width = 79

    public init() {}

    /// The transcript, ending with a newline.
    public func render(_ result: LabScenarioResult) -> String {
        let scenario = result.scenario
        let wrapper = LabTextWrapper(width: Self.width)
        var lines = [Self.rule(scenario.title, tag: scenario.id)]
        if let reason = result.skipped {
            lines.append(wrapper.wrap("Skipped: \(reason)", indent: "  "))
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append(wrapper.wrap(scenario.story))
        lines.append("")
        lines.append(wrapper.wrap(scenario.summary))
        lines.append("")
        let duration = LabNumberFormat.fixed(result.duration, decimals: 3)
        let port = result.serverPort == 0 ? "" : "; the server listened on 127.0.0.1:\(result.serverPort)"
        lines.append("Ran in \(duration)s\(port).")
        lines.append("")
        lines.append("Steps")
        let packetsByStep = result.packetIndicesByRecord().map { $0.map { result.packets[$0] } }
        let wording = LabResetWording(scenario)
        let resetsByStep = result.resetIndicesByRecord().map { $0.map { wording.sentence(result.resets[$0]) } }
        lines += self.steps(result.records, packets: packetsByStep, resets: resetsByStep)
        lines.append("")
        lines += self.packets(result)
        lines.append("")
        lines += self.packetChecks(result)
        lines.append("")
        lines += self.resetChecks(result)
        if !scenario.explains.isEmpty {
            lines.append("")
            lines += scenario.explains.map { "See: resetlab explain \($0)" }
        }
        lines.append("")
        lines.append(result.passed ? "PASSED" : "FAILED")
        for failure in result.failures {
            lines.append(wrapper.wrap(failure, firstIndent: "  - ", indent: "    "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A heading rule with the title at the left and the id at the right, on two lines when it must be:
    /// `── Title ─────── [id]`.
    static func rule(_ title: String, tag: String) -> String {
        let head = "── \(title) "
        let tail = " [\(tag)]"
        let fill = Self.width - head.count - tail.count
        if fill >= 2 {
            return head + String(repeating: "─", count: fill) + tail
        }
        let wrapper = LabTextWrapper(width: Self.width)
        let titleLines = wrapper.wrap(title, firstIndent: "── ", indent: "   ")
        guard tail.count + 3 <= Self.width else { return titleLines + "\n" + wrapper.wrap(tail) }
        return titleLines + "\n" + String(repeating: "─", count: Self.width - tail.count) + tail
    }

    /// The step table: one row per record, then the ✗ line, the note, the segments seen during the step and
    /// the kernel's account of each RST sent during it (`resets`, already in words), each indented under the call.
    func steps(_ records: [LabStepRecord], packets: [[LabPacket]] = [], resets: [[String]] = []) -> [String] {
        guard !records.isEmpty else { return ["  (no step ran)"] }
        let table = LabTextTable(
            columns: [
                LabTextTable.Column("#", alignsRight: true),
                LabTextTable.Column("time"),
                LabTextTable.Column("actor"),
                LabTextTable.Column("call", wraps: true, minimumWidth: 12),
                LabTextTable.Column("state"),
                LabTextTable.Column("Linux", wraps: true, minimumWidth: 10),
                LabTextTable.Column("Winsock", wraps: true, minimumWidth: 7),
                LabTextTable.Column(""),
            ],
            rows: records.map(self.row),
            width: Self.width,
            gap: 1
        )
        let widths = table.columnWidths()
        let offsets = table.columnOffsets()
        let indentWidth = offsets.count > 3 && Self.width - offsets[3] >= 30 ? offsets[3] : 4
        let indent = String(repeating: " ", count: indentWidth)
        let wrapper = LabTextWrapper(width: Self.width)
        var lines = table.render(table.columns.map(\.header), widths: widths)
        for (position, record) in records.enumerated() {
            lines += table.render(self.row(record), widths: widths)
            if record.met == false {
                let expected = record.step.expectation.map { "✗ expected \($0)" } ?? "✗ not as expected"
                lines.append(wrapper.wrap(expected, firstIndent: indent, indent: indent + "  "))
            }
            if let note = record.step.note {
                lines.append(wrapper.wrap(note, firstIndent: indent, indent: indent))
            }
            if position < packets.count, !packets[position].isEmpty {
                let wire = packets[position].map { ($0.from == .client ? ">" : "<") + $0.token }.joined(separator: " ")
                lines.append(wrapper.wrap("wire: " + wire, firstIndent: indent, indent: indent + "      "))
            }
            for sentence in position < resets.count ? resets[position] : [] {
                lines.append(wrapper.wrap(sentence, firstIndent: indent, indent: indent + "  "))
            }
        }
        return lines
    }

    /// One record's cells.
    func row(_ record: LabStepRecord) -> [String] {
        let mark =
            switch record.met {
            case true?: "✓"
            case false?: "✗"
            case nil: ""
            }
        return [
            String(record.index + 1),
            LabNumberFormat.seconds(record.time),
            record.step.actor.rawValue,
            record.step.action.label,
            record.stateBefore?.netstatName ?? "—",
            record.outcome.summary,
            record.winsock?.description ?? "",
            mark,
        ]
    }

    /// One line per captured segment: time from the first, direction, flags, relative seq/ack, length, TTL.
    func packets(_ result: LabScenarioResult) -> [String] {
        if case .notCaptured(let reason) = result.capture {
            return [LabTextWrapper(width: Self.width).wrap("Packets: not captured: \(reason)", indent: "  ")]
        }
        guard let first = result.packets.first else { return ["Packets: none captured"] }
        let numbering = LabSequenceNumbering(result.packets)
        let rows = zip(result.packets, numbering.numbers).map { packet, numbers in
            [
                LabNumberFormat.seconds(Double(packet.timestampNanoseconds &- first.timestampNanoseconds) / 1e9),
                packet.from == .client ? "client → server" : "client ← server",
                packet.flags.letters,
                "seq \(numbers.sequence)",
                numbers.acknowledgment.map { "ack \($0)" } ?? "",
                "len \(packet.payloadLength)",
                "ttl \(packet.timeToLive)",
            ]
        }
        let table = LabTextTable(
            columns: [
                LabTextTable.Column("", alignsRight: true), LabTextTable.Column(""), LabTextTable.Column(""),
                LabTextTable.Column(""), LabTextTable.Column(""), LabTextTable.Column(""), LabTextTable.Column(""),
            ],
            rows: rows,
            width: Self.width - 2
        )
        return ["Packets (time since the first; seq and ack relative)"] + table.lines(header: false).map { "  " + $0 }
    }

    /// The packet expectations with ✓ or ✗, or why they were not checked.
    func packetChecks(_ result: LabScenarioResult) -> [String] {
        let wrapper = LabTextWrapper(width: Self.width)
        let expectations = result.scenario.packetExpectations
        guard !expectations.isEmpty else { return ["Packet checks: none"] }
        if case .notCaptured(let reason) = result.capture {
            var lines = ["Packet checks"]
            let why = "not checked: packets not captured: \(reason)"
            lines.append(wrapper.wrap(why, firstIndent: "  ", indent: "    "))
            for expectation in expectations {
                lines.append(wrapper.wrap("- \(expectation)", firstIndent: "  ", indent: "    "))
            }
            return lines
        }
        return ["Packet checks"]
            + expectations.map { expectation in
                let mark = expectation.isMet(by: result.packets) ? "✓" : "✗"
                return wrapper.wrap("\(mark) \(expectation)", firstIndent: "  ", indent: "    ")
            }
    }
}
