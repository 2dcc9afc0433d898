import ResetLabJSON

/// The report formats of `resetlab capture`.
public enum CaptureReportFormat: String, Sendable, CaseIterable {
    case table, json, tsv, zeek
}

/// Turns the analyzer's events into the chosen format's text, piece by piece, so that a report of millions
/// of connections streams out instead of being held in memory. Pure: the caller writes the pieces.
public struct CaptureReportWriter: Sendable {
    public let format: CaptureReportFormat
    public let filter: ConnectionFilter
    public let source: String
    public private(set) var summary = CaptureSummary()
    private var listed = 0

    /// - Parameters:
    ///   - format: The format.
    ///   - filter: Which connections are listed (the summary counts all).
    ///   - source: The file name shown in the report (`-` for standard input).
    public init(format: CaptureReportFormat, filter: ConnectionFilter, source: String) {
        self.format = format
        self.filter = filter
        self.source = source
    }

    /// What comes before the first connection. The Zeek header needs the first packet's time, so it is
    /// written with the first connection instead.
    public func begin() -> String {
        switch self.format {
        case .table: CaptureTableReport.header + "\n"
        case .json: "{\"file\":" + JSONValue.string(self.source).serialized() + ",\"connections\":["
        case .tsv: CaptureTSV.header + "\n"
        case .zeek: ""
        }
    }

    /// Counts a connection and appends its text, nothing when the filter leaves it out.
    public mutating func connection(_ record: ConnectionRecord, into out: inout ReportBuffer) {
        self.summary.add(record)
        guard self.filter.matches(record) else { return }
        defer { self.listed += 1 }
        switch self.format {
        case .table:
            out.append(CaptureTableReport.row(record))
        case .json:
            out.append(self.listed > 0 ? ",\n" : "\n")
            out.append(CaptureJSON.connection(record).serialized())
            return
        case .tsv:
            CaptureTSV.row(record, into: &out)
        case .zeek:
            if self.listed == 0 { out.append(ZeekConnLog.header(opened: record.start) + "\n") }
            ZeekConnLog.row(record, into: &out)
        }
        out.append(byte: UInt8(ascii: "\n"))
    }

    /// What comes after the last connection: the summary, the statistics and, if reading stopped early,
    /// the error (which also goes to standard error; see ``errorMessage(_:)``).
    public func end(statistics: CaptureStatistics, error: (any Error)?) -> String {
        switch self.format {
        case .table:
            var text = self.listed == 0 ? "  (no connections\(self.filterWords))\n" : ""
            text += CaptureTableReport.summary(self.summary, statistics: statistics) + "\n"
            return text
        case .json:
            var members: [(String, JSONValue)] = [
                ("summary", CaptureJSON.summary(self.summary)), ("statistics", CaptureJSON.statistics(statistics)),
            ]
            members.append(("error", error.map { self.errorJSON($0) } ?? .null))
            let tail = JSONValue.object(members).serialized()
            return "\n]," + tail.dropFirst() + "\n"
        case .tsv:
            return ""
        case .zeek:
            var text = self.listed == 0 ? ZeekConnLog.header(opened: statistics.firstTimestamp ?? 0) + "\n" : ""
            text += ZeekConnLog.footer(closed: statistics.lastTimestamp ?? 0) + "\n"
            return text
        }
    }

    /// The message for standard error when reading stopped early.
    public static func errorMessage(_ error: any Error) -> String {
        if let error = error as? CaptureReadError {
            return "capture stopped at byte \(error.offset): \(error.reason). Everything before it is reported above."
        }
        return "capture stopped: \(error). Everything before it is reported above."
    }

    private var filterWords: String {
        var words: [String] = []
        if self.filter.onlyResets { words.append("ended by a reset") }
        if let host = self.filter.host { words.append("with host \(host)") }
        if let port = self.filter.port { words.append("with port \(port)") }
        return words.isEmpty ? "" : " " + words.joined(separator: ", ")
    }

    private func errorJSON(_ error: any Error) -> JSONValue {
        if let error = error as? CaptureReadError {
            return .object([
                ("offset", .integer(Int64(error.offset))),
                ("frame", error.frame.map { .integer(Int64($0)) } ?? .null),
                ("reason", .string(error.reason)),
            ])
        }
        return .object([("reason", .string(String(describing: error)))])
    }
}
