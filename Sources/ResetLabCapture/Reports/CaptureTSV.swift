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
        out.append(byte: tab)
        out.append(decimal: record.fromOriginator.packets)
        out.append(byte: tab)
        out.append(decimal: record.fromOriginator.payloadBytes)
        out.append(byte: tab)
        out.append(decimal: record.fromResponder.packets)
        out.append(byte: tab)
        out.append(decimal: record.fromResponder.payloadBytes)
        out.append(byte: tab)
        out.append(record.zeekState.rawValue)
        out.append(byte: tab)
        out.append(record.zeekHistory.isEmpty ? "-" : record.zeekHistory)
        out.append(byte: tab)
        out.append(record.verdict.identifier)
        out.append(byte: tab)
        out.append(reset.map { $0.fromOriginator ? "client" : "server" } ?? "-")
        out.append(byte: tab)
        out.append(reset?.sequenceCheck.rawValue ?? "-")
        out.append(byte: tab)
        out.append(reset.map { $0.middleboxSuspected ? "yes" : "no" } ?? "-")
        out.append(byte: tab)
        out.append(record.originatorError?.winsockName ?? "-")
        out.append(byte: tab)
        out.append(record.responderError?.winsockName ?? "-")
        out.append(byte: tab)
        out.append(record.startedBeforeCapture ? "yes" : "no")
    }
}
