/// `--format zeek`: a conn.log in Zeek's TSV format, readable by zeek-cut and anything that reads Zeek logs.
/// `uid` is ResetLab's connection number (`CR1`, `CR2`, …); `service`, `local_*` and `tunnel_parents` are
/// unset; `missed_bytes` is 0 (gaps are not tracked).
public enum ZeekConnLog {
    static let fields = [
        "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service", "duration",
        "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "missed_bytes", "history",
        "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents",
    ]
    static let types = [
        "time", "string", "addr", "port", "addr", "port", "enum", "string", "interval", "count", "count", "string",
        "bool", "bool", "count", "string", "count", "count", "count", "count", "set[string]",
    ]

    /// The header; `opened` is the first packet's time.
    public static func header(opened: Int64) -> String {
        [
            "#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-", "#path\tconn",
            "#open\t\(self.logTime(opened))", "#fields\t" + self.fields.joined(separator: "\t"),
            "#types\t" + self.types.joined(separator: "\t"),
        ].joined(separator: "\n")
    }

    /// Appends one connection's line, without its newline.
    public static func row(_ record: ConnectionRecord, into out: inout ReportBuffer) {
        let tab = UInt8(ascii: "\t")
        out.append(seconds: record.start)
        out.append("\tCR")
        out.append(decimal: record.id)
        out.append(byte: tab)
        out.append(address: record.originator.address)
        out.append(byte: tab)
        out.append(decimal: Int(record.originator.port))
        out.append(byte: tab)
        out.append(address: record.responder.address)
        out.append(byte: tab)
        out.append(decimal: Int(record.responder.port))
        out.append("\ttcp\t-\t")
        out.append(seconds: record.duration)
        out.append(byte: tab)
        out.append(decimal: record.fromOriginator.zeekBytes)
        out.append(byte: tab)
        out.append(decimal: record.fromResponder.zeekBytes)
        out.append(byte: tab)
        out.append(record.zeekState.rawValue)
        out.append("\t-\t-\t0\t")
        out.append(record.zeekHistory.isEmpty ? "(empty)" : record.zeekHistory)
        for count in [record.fromOriginator.packets, record.fromOriginator.ipBytes,
                      record.fromResponder.packets, record.fromResponder.ipBytes] {
            out.append(byte: tab)
            out.append(decimal: count)
        }
        out.append("\t-")
    }

    /// The closing line; `closed` is the last packet's time.
    public static func footer(closed: Int64) -> String {
        "#close\t\(self.logTime(closed))"
    }

    /// Zeek's `#open`/`#close` format: `2026-11-25-06-21-17`.
    static func logTime(_ nanoseconds: Int64) -> String {
        let text = CaptureTimeFormat.utc(nanoseconds)  // 2026-11-25 06:21:17.862451
        return String(text.prefix(19)).replacingSpacesAndColons()
    }
}

extension String {
    fileprivate func replacingSpacesAndColons() -> String {
        String(self.map { $0 == " " || $0 == ":" ? "-" : $0 })
    }
}
