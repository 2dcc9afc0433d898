/// `--html FILE`: one self-contained page (inline CSS and SVG, nothing loaded from elsewhere) with the
/// summary, both histograms drawn as bars, the connection table, and a ladder diagram per connection
/// that has one (the reset connections, as many as were kept).
public struct CaptureHTMLReport: Sendable {
    public init() {}

    public func render(
        title: String, summary: CaptureSummary, statistics: CaptureStatistics,
        connections: [ConnectionRecord], ladders: [ConnectionLadder], listedLimit: Int
    ) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>ResetLab capture: \(HTMLText.escaped(title))</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; }
            td, th { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; font-variant-numeric: tabular-nums; }
            code, .mono { font-family: ui-monospace, monospace; }
            .reset { color: #b00020; }
            section.ladder { margin: 2em 0; border-top: 2px solid #ccc; }
            svg text { font: 11px ui-monospace, monospace; }
            </style>
            </head>
            <body>
            <h1>ResetLab capture: \(HTMLText.escaped(title))</h1>
            <p>\(statistics.frames) frames, \(statistics.tcpSegments) TCP segments, \(statistics.ipFragments) IP fragments, \
            \(statistics.malformedPackets) malformed; \(summary.connections) connections, \(summary.resets) ended by RST, \
            \(summary.startedBeforeCapture) started before the capture.</p>
            <h2>Verdicts</h2>
            <table><tr><th>verdict</th><th>connections</th></tr>

            """
        for (id, count) in summary.verdictCounts {
            html += "<tr><td>\(HTMLText.escaped(id))</td><td>\(count)</td></tr>\n"
        }
        html += "</table>\n"
        if summary.resets > 0 {
            html += "<h2>Who reset</h2>\n<table><tr><th>host</th><th>resets</th></tr>\n"
            for (host, count) in CaptureSummary.top(summary.resettingHosts) {
                html += "<tr><td class=\"mono\">\(HTMLText.escaped(host.description))</td><td>\(count)</td></tr>\n"
            }
            html += "</table>\n<table><tr><th>server port</th><th>resets</th></tr>\n"
            for (port, count) in CaptureSummary.top(summary.resetServerPorts) {
                html += "<tr><td>\(port)</td><td>\(count)</td></tr>\n"
            }
            html += "</table>\n"
            html += "<h2>Time from start to reset</h2>\n" + Self.histogramSVG(summary.timeToReset)
            html += "<h2>Idle time before the reset</h2>\n" + Self.histogramSVG(summary.idleBeforeReset)
        }
        html += "<h2>Connections</h2>\n<table><tr><th>id</th><th>client</th><th>server</th><th>duration</th>"
        html += "<th>state</th><th>history</th><th>verdict</th></tr>\n"
        for record in connections.prefix(listedLimit) {
            let css = record.verdict.isReset ? " class=\"reset\"" : ""
            html += "<tr\(css)><td>\(record.id)</td><td class=\"mono\">\(HTMLText.escaped(record.originator.description))</td>"
            html += "<td class=\"mono\">\(HTMLText.escaped(record.responder.description))</td>"
            html += "<td>\(HTMLText.escaped(CaptureTimeFormat.duration(record.duration)))</td><td>\(record.zeekState.rawValue)</td>"
            html += "<td class=\"mono\">\(HTMLText.escaped(record.zeekHistory))</td><td>\(HTMLText.escaped(record.verdict.sentence))</td></tr>\n"
        }
        html += "</table>\n"
        if connections.count > listedLimit {
            html += "<p>\(connections.count - listedLimit) more connections are not listed here; use --format tsv for all.</p>\n"
        }
        for ladder in ladders {
            html += Self.section(ladder)
        }
        html += "</body>\n</html>\n"
        return html
    }

    static func section(_ ladder: ConnectionLadder) -> String {
        let record = ladder.record
        var html = "<section class=\"ladder\" id=\"conn-\(record.id)\">\n"
        html += "<h3>Connection \(record.id): \(HTMLText.escaped(record.originator.description)) → \(HTMLText.escaped(record.responder.description))</h3>\n"
        html += "<p><strong>\(HTMLText.escaped(record.verdict.sentence))</strong>; Zeek \(record.zeekState.rawValue) "
        html += "<code>\(HTMLText.escaped(record.zeekHistory))</code></p>\n"
        for line in CaptureTableReport.details(record) { html += "<p>\(HTMLText.escaped(line))</p>\n" }
        html += Self.ladderSVG(ladder)
        html += "<p>\(HTMLText.escaped(ladder.story))</p>\n</section>\n"
        return html
    }

    /// Client lane on the left, server lane on the right, one slanted arrow per packet.
    static func ladderSVG(_ ladder: ConnectionLadder) -> String {
        let rowHeight = 26.0
        let left = 170.0
        let right = 560.0
        let top = 40.0
        let gapRows = ladder.omitted > 0 ? 1.0 : 0.0
        let height = top + (Double(ladder.rows.count) + gapRows) * rowHeight + 20
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"\(Int(height))\" role=\"img\">\n"
        svg += "<text x=\"\(left - 20)\" y=\"20\">client</text><text x=\"\(right - 20)\" y=\"20\">server</text>\n"
        svg += "<line x1=\"\(left)\" y1=\"28\" x2=\"\(left)\" y2=\"\(height)\" stroke=\"#888\"/>"
        svg += "<line x1=\"\(right)\" y1=\"28\" x2=\"\(right)\" y2=\"\(height)\" stroke=\"#888\"/>\n"
        var y = top
        for (position, row) in ladder.rows.enumerated() {
            if position == ladder.omittedAfter && ladder.omitted > 0 {
                svg += "<text x=\"\(left + 40)\" y=\"\(y + 4)\">… \(ladder.omitted) packets not shown …</text>\n"
                y += rowHeight
            }
            let (from, to) = row.fromClient ? (left, right) : (right, left)
            let isReset = row.packet.flags.contains(.rst)
            let colour = isReset ? "#b00020" : (row.packet.flags.contains(.fin) ? "#1a5fb4" : "#333")
            var label = row.packet.flags.description
            if row.packet.payloadLength > 0 { label += " len \(row.packet.payloadLength)" }
            svg += "<text x=\"4\" y=\"\(y + 12)\">\(HTMLText.escaped(CaptureTimeFormat.seconds(row.time)))</text>"
            svg += "<line x1=\"\(from)\" y1=\"\(y)\" x2=\"\(to)\" y2=\"\(y + 16)\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>"
            let head = to + (row.fromClient ? -7.0 : 7.0)
            svg += "<polygon points=\"\(to),\(y + 16) \(head),\(y + 10) \(head),\(y + 18)\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\((left + right) / 2 - 40)\" y=\"\(y + 6)\" fill=\"\(colour)\">\(HTMLText.escaped(label))</text>\n"
            y += rowHeight
        }
        return svg + "</svg>\n"
    }

    static func histogramSVG(_ histogram: Histogram) -> String {
        let largest = Double(max(1, histogram.counts.max() ?? 1))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"520\" height=\"\(Histogram.labels.count * 22 + 10)\" role=\"img\">\n"
        for (index, (label, count)) in zip(Histogram.labels, histogram.counts).enumerated() {
            let y = Double(index * 22 + 4)
            let width = Double(count) / largest * 300
            svg += "<text x=\"0\" y=\"\(y + 13)\">\(HTMLText.escaped(label))</text>"
            svg += "<rect x=\"90\" y=\"\(y)\" width=\"\(width)\" height=\"16\" fill=\"#b00020\"/>"
            svg += "<text x=\"\(96 + width)\" y=\"\(y + 13)\">\(count)</text>\n"
        }
        return svg + "</svg>\n"
    }
}
