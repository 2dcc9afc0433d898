/// `--format tsv`: one header line, then one tab-separated line per connection. Empty values are `-`.
public enum CaptureTSV {
    public static let header = [
        "id", "orig_h", "orig_p", "resp_h", "resp_p", "origin_reason", "start", "duration", "orig_pkts", "orig_bytes",
        "resp_pkts", "resp_bytes", "conn_state", "history", "verdict", "reset_by", "reset_seq", "middlebox_hint",
        "orig_saw", "resp_saw", "started_before_capture",
    ].joined(separator: "\t")

    public static func row(_ record: ConnectionRecord) -> String {
        let reset = record.firstReset
        var line = ""
        line.reserveCapacity(200)
        func field(_ text: String) {
            if !line.isEmpty { line += "\t" }
            line += text
        }
        field(String(record.id))
        field(record.originator.address.description)
        field(String(record.originator.port))
        field(record.responder.address.description)
        field(String(record.responder.port))
        field(record.originReason.rawValue)
        field(CaptureTimeFormat.seconds(record.start))
        field(CaptureTimeFormat.seconds(record.duration))
        field(String(record.fromOriginator.packets))
        field(String(record.fromOriginator.payloadBytes))
        field(String(record.fromResponder.packets))
        field(String(record.fromResponder.payloadBytes))
        field(record.zeekState.rawValue)
        field(record.zeekHistory.isEmpty ? "-" : record.zeekHistory)
        field(record.verdict.identifier)
        field(reset.map { $0.fromOriginator ? "client" : "server" } ?? "-")
        field(reset?.sequenceCheck.rawValue ?? "-")
        field(reset.map { $0.middleboxSuspected ? "yes" : "no" } ?? "-")
        field(record.originatorError?.winsockName ?? "-")
        field(record.responderError?.winsockName ?? "-")
        field(record.startedBeforeCapture ? "yes" : "no")
        return line
    }
}
