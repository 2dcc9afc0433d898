/// `--format tsv`: one header line, then one tab-separated line per connection. Empty values are `-`.
public enum CaptureTSV {
    public static let header = [
        "id", "orig_h", "orig_p", "resp_h", "resp_p", "origin_reason", "start", "duration", "orig_pkts", "orig_bytes",
        "resp_pkts", "resp_bytes", "conn_state", "history", "verdict", "reset_by", "reset_seq", "middlebox_hint",
        "orig_saw", "resp_saw", "started_before_capture",
    ].joined(separator: "\t")

    /// Appends one connection's line, without its newline.
    public static func row(_ record: ConnectionRecord, into out: inout ReportBuffer) {
        let tab = UInt8(ascii: "\t")
        let reset = record.firstReset
        out.append(decimal: record.id)
        out.append(byte: tab)
        out.append(address: record.originator.address)
        out.append(byte: tab)
        out.append(decimal: Int(record.originator.port))
        out.append(byte: tab)
        out.append(address: record.responder.address)
        out.append(byte: tab)
        out.append(decimal: Int(record.responder.port))
        out.append(byte: tab)
        out.append(record.originReason.rawValue)
        out.append(byte: tab)
        out.append(seconds: record.start)
        out.append(byte: tab)
        out.append(seconds: record.duration)
        for count in [record.fromOriginator.packets, record.fromOriginator.payloadBytes,
                      record.fromResponder.packets, record.fromResponder.payloadBytes] {
            out.append(byte: tab)
            out.append(decimal: count)
        }
        let texts = [
            record.zeekState.rawValue, record.zeekHistory.isEmpty ? "-" : record.zeekHistory, record.verdict.identifier,
            reset.map { $0.fromOriginator ? "client" : "server" } ?? "-", reset?.sequenceCheck.rawValue ?? "-",
            reset.map { $0.middleboxSuspected ? "yes" : "no" } ?? "-", record.originatorError?.winsockName ?? "-",
            record.responderError?.winsockName ?? "-", record.startedBeforeCapture ? "yes" : "no",
        ]
        for text in texts {
            out.append(byte: tab)
            out.append(text)
        }
    }
}
