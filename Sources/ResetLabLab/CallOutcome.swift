/// What one operation returned.
public enum CallOutcome: Sendable, Hashable {
    /// The call succeeded and has nothing to report (listen, accept, connect, shutdown, close, options).
    case done
    /// `send` accepted this many bytes into the socket's buffer (which is not delivery).
    case sent(Int)
    /// `recv` returned these bytes.
    case received([UInt8])
    /// `recv` returned 0: the peer's FIN was read.
    case endOfStream
    /// The call failed with this errno.
    case failed(LinuxError)
    /// A framed read found this many complete length-prefixed messages.
    case frames(Int)
    /// The harness acted (killed or started a process, changed a firewall, waited).
    case acted(String)
    /// The TCP state was read without any socket call.
    case inspected

    /// A short description in the way a C programmer would say it: "2 bytes", "EOF", "ECONNRESET (104)".
    public var summary: String {
        switch self {
        case .done: "ok"
        case .sent(let count): "\(count) bytes sent"
        case .received(let bytes): "\(bytes.count) bytes" + Self.preview(bytes)
        case .endOfStream: "0 (EOF)"
        case .failed(let error): "-1 \(error)"
        case .frames(let count): "\(count) complete message\(count == 1 ? "" : "s")"
        case .acted(let what): what
        case .inspected: "—"
        }
    }

    /// The compact form used in the summary table: "EOF", "ECONNRESET", "5B".
    public var shortSummary: String {
        switch self {
        case .done: "ok"
        case .sent(let count): "sent \(count)"
        case .received(let bytes): "\(bytes.count)B"
        case .endOfStream: "EOF"
        case .failed(let error): error.name
        case .frames(let count): "\(count) msgs"
        case .acted(let what): what
        case .inspected: "—"
        }
    }

    private static func preview(_ bytes: [UInt8]) -> String {
        let printable = bytes.prefix(24).allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        guard printable, !bytes.isEmpty else { return "" }
        return " \"" + String(decoding: bytes.prefix(24), as: UTF8.self) + (bytes.count > 24 ? "…" : "") + "\""
    }
}
