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

    public static func row(_ record: ConnectionRecord) -> String {
        [
            CaptureTimeFormat.seconds(record.start), "CR\(record.id)",
            record.originator.address.description, String(record.originator.port),
            record.responder.address.description, String(record.responder.port), "tcp", "-",
            CaptureTimeFormat.seconds(record.duration),
            String(record.fromOriginator.zeekBytes), String(record.fromResponder.zeekBytes),
            record.zeekState.rawValue, "-", "-", "0", record.zeekHistory.isEmpty ? "(empty)" : record.zeekHistory,
            String(record.fromOriginator.packets), String(record.fromOriginator.ipBytes),
            String(record.fromResponder.packets), String(record.fromResponder.ipBytes), "-",
        ].joined(separator: "\t")
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
