/// One run of `resetlab capture`: reads a capture, streams the chosen report out piece by piece, and keeps
/// what an HTML report needs (a bounded number of connections and ladders of reset connections).
public struct CaptureReportRun: Sendable {
    /// What the run found, besides the text it wrote.
    public struct Outcome: Sendable {
        public var statistics: CaptureStatistics
        public var summary: CaptureSummary
        /// The error that stopped the reading early, if any: everything before it was reported.
        public var error: (any Error)?
        /// The first listed connections, for an HTML report (empty unless ``keepForHTML`` was set).
        public var keptConnections: [ConnectionRecord]
        /// Ladders of the first reset connections (empty unless ``keepForHTML`` was set).
        public var ladders: [ConnectionLadder]
    }

    public var format: CaptureReportFormat
    public var filter: ConnectionFilter
    /// Whether to keep connections and ladders for an HTML report, at some cost in memory per live
    /// connection.
    public var keepForHTML: Bool
    /// The most connections and ladders kept for the HTML report.
    public var keptConnectionLimit = 2_000
    public var ladderLimit = 50

    public init(format: CaptureReportFormat, filter: ConnectionFilter, keepForHTML: Bool = false) {
        self.format = format
        self.filter = filter
        self.keepForHTML = keepForHTML
    }

    /// Reads `source` to its end (or its first error) and hands the report's text to `write`, in order, in
    /// pieces of up to about 64 KiB.
    /// - Parameters:
    ///   - source: The capture's bytes.
    ///   - name: The file name the report shows (`-` for standard input).
    ///   - write: Receives each piece of the report.
    public func run<Source: ByteSource>(_ source: Source, name: String, write: (String) -> Void) -> Outcome {
        var writer = CaptureReportWriter(format: self.format, filter: self.filter, source: name)
        var analyzer = CaptureAnalyzer(ladder: self.keepForHTML ? LadderRequest(depth: 24, connections: nil) : .none)
        var kept: [ConnectionRecord] = []
        var ladders: [ConnectionLadder] = []
        var output = ReportBuffer()
        write(writer.begin())
        let error = analyzer.run(source) { record, packets in
            writer.connection(record, into: &output)
            if output.count >= 1 << 16 { write(output.take()) }
            guard self.keepForHTML, self.filter.matches(record) else { return }
            if kept.count < self.keptConnectionLimit { kept.append(record) }
            if record.verdict.isReset, ladders.count < self.ladderLimit, let packets {
                ladders.append(ConnectionLadder(record: record, packets: packets))
            }
        }
        if !output.isEmpty { write(output.take()) }
        write(writer.end(statistics: analyzer.statistics, error: error))
        return Outcome(
            statistics: analyzer.statistics, summary: writer.summary, error: error, keptConnections: kept, ladders: ladders)
    }

    /// The ladder of connection `id`, keeping its first few and last `depth` packets, or `nil` when the
    /// capture has no such connection. Also returns the error that stopped the reading early, if any.
    public static func ladder<Source: ByteSource>(
        of id: Int, in source: Source, depth: Int = 40
    ) -> (ladder: ConnectionLadder?, error: (any Error)?) {
        var analyzer = CaptureAnalyzer(ladder: LadderRequest(depth: max(depth, 8), connections: [id]))
        var found: ConnectionLadder?
        let error = analyzer.run(source) { record, packets in
            if record.id == id, let packets { found = ConnectionLadder(record: record, packets: packets) }
        }
        return (found, error)
    }
}
