/// `--format tsv`: one header line, then one tab-separated line per connection. Empty values are `-`.
public enum CaptureTSV {
    public static let header = [
        "id", "orig_h", "orig_p", "resp_h", "resp_p", "origin_reason", "start", "duration", "orig_pkts", "orig_bytes",
        "resp_pkts", "resp_bytes", "conn_state", "history", "verdict", "reset_by", "reset_seq", "middlebox_hint",
        "orig_saw", "resp_saw", "started_before_capture",
    ].joined(separator: "\t")

    public static func row(_ record: ConnectionRecord) -> String {
        let reset = record.firstReset
        return [
            String(record.id), record.originator.address.description, String(record.originator.port),
            record.responder.address.description, String(record.responder.port), record.originReason.rawValue,
            CaptureTimeFormat.seconds(record.start), CaptureTimeFormat.seconds(record.duration),
            String(record.fromOriginator.packets), String(record.fromOriginator.payloadBytes),
            String(record.fromResponder.packets), String(record.fromResponder.payloadBytes),
            record.zeekState.rawValue, record.zeekHistory.isEmpty ? "-" : record.zeekHistory, record.verdict.identifier,
            reset.map { $0.fromOriginator ? "client" : "server" } ?? "-",
            reset?.sequenceCheck.rawValue ?? "-",
            reset.map { $0.middleboxSuspected ? "yes" : "no" } ?? "-",
            record.originatorError?.winsockName ?? "-", record.responderError?.winsockName ?? "-",
            record.startedBeforeCapture ? "yes" : "no",
        ].joined(separator: "\t")
    }
}
