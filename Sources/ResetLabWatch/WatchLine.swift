import ResetLabJSON

/// How `resetlab watch` prints one event: a line for people, a JSON object for machines.
public struct WatchLine: Sendable, Equatable {
    public var event: KernelEvent
    /// The wall-clock time of the event, in seconds since 1970.
    public var wallTime: Double
    /// The processes at this end and, on loopback, at the other end.
    public var attribution: OwnerAttribution
    /// The connection's last state changes and retransmissions before this event (with `--states`).
    public var trail: [KernelEvent]
    /// Where the event came from.
    public var origin: Origin
    /// Converts a trail event's trace time (seconds since boot) to wall-clock seconds.
    private let wallOffset: Double

    /// Where events come from: the kernel's tracepoints, or (without tracefs) RSTs captured on the wire,
    /// which carry no reason, no state and no running task.
    public enum Origin: String, Sendable, Equatable {
        case tracepoints
        case packetCapture = "packet capture"
    }

    public init(event: KernelEvent, wallTime: Double, attribution: OwnerAttribution, trail: [KernelEvent] = [], origin: Origin = .tracepoints) {
        self.origin = origin
        self.event = event
        self.wallTime = wallTime
        self.attribution = attribution
        self.trail = trail
        self.wallOffset = wallTime - event.timestamp
    }

    /// `sent`, `received`, `state` or `retransmit`.
    public var direction: String { Self.direction(of: self.event.kind) }

    private static func direction(of kind: KernelEvent.Kind) -> String {
        switch kind {
        case .sentReset: "sent"
        case .receivedReset: "received"
        case .stateChanged: "state"
        case .retransmitted: "retransmit"
        }
    }

    private var ownerText: String {
        if let owner = self.attribution.owner { return "\(owner.label) [\(owner.evidence.rawValue)]" }
        if case .sentReset(reason: .noSocket) = self.event.kind { return "no socket (nothing listens on or holds this port)" }
        return "unknown (the socket was already gone)"
    }

    /// `HH:MM:SS.micro` in UTC.
    private static func clock(_ wallTime: Double) -> String {
        let day = wallTime.truncatingRemainder(dividingBy: 86_400)
        let seconds = Int(day)
        let micros = min(999_999, Int((day - Double(seconds)) * 1_000_000))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(micros)
        return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60)).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    /// What a state change or retransmission says after the ends.
    private static func detail(of event: KernelEvent) -> String {
        switch event.kind {
        case .stateChanged(let from, let to): "\(from) → \(to)"
        case .retransmitted: "retransmission" + (event.state.map { " in \($0)" } ?? "")
        default: ""
        }
    }

    /// The event for a terminal: a head line, then indented lines of explanation.
    public var text: String {
        let head = "\(Self.clock(self.wallTime)) \(self.direction.padding(10)) \(self.event.local) → \(self.event.remote)  \(self.ownerText)"
        var lines: [String] = []
        switch self.event.kind {
        case .sentReset(let reason):
            lines.append(head + (self.event.state.map { " in \($0)" } ?? ""))
            if let reason {
                lines.append("    \(reason.name): \(reason.meaning)")
                lines.append("    the peer sees: \(reason.peerSees)  (resetlab explain \(reason.explainQuery))")
            } else if self.origin == .packetCapture {
                lines.append("    reason: unknown (seen on the wire: only the kernel's tracepoints say why; run as root with tracefs for reasons)")
            } else {
                lines.append("    reason: not reported by this kernel (tcp_send_reset has no reason field before Linux 6.10)")
            }
        case .receivedReset:
            lines.append(head + (self.event.state.map { " in \($0)" } ?? ""))
            lines.append("    the peer (or a device in between) sent RST: " + Self.receivedResetEffect(state: self.event.state))
        case .stateChanged, .retransmitted:
            lines.append(head + "  " + Self.detail(of: self.event))
        }
        if let peer = self.attribution.peer {
            lines.append("    other end on this host: \(peer.label) [\(peer.evidence.rawValue)]")
        }
        if !self.trail.isEmpty {
            lines.append("    before it:")
            for earlier in self.trail {
                lines.append("      \(Self.clock(earlier.timestamp + self.wallOffset)) \(Self.detail(of: earlier))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// What the application holding the socket sees after a RST arrives in `state`.
    private static func receivedResetEffect(state: String?) -> String {
        switch state {
        case "TCP_SYN_SENT": "the connecting application sees ECONNREFUSED (WSAECONNREFUSED 10061)  (resetlab explain ECONNREFUSED)"
        case "TCP_CLOSE_WAIT", "TCP_LAST_ACK", "TCP_CLOSING", "TCP_FIN_WAIT1", "TCP_FIN_WAIT2":
            "after the FIN exchange began: a read may already have returned end-of-file; the next call fails with ECONNRESET or EPIPE (WSAECONNABORTED 10053 on Windows after its own shutdown)  (resetlab explain WSAECONNABORTED)"
        case nil: "a connecting application sees ECONNREFUSED (WSAECONNREFUSED 10061), a connected one ECONNRESET (WSAECONNRESET 10054)  (resetlab explain ECONNRESET)"
        default: "the application sees ECONNRESET (WSAECONNRESET 10054) on its next call, a write after that EPIPE  (resetlab explain ECONNRESET)"
        }
    }

    private static func json(_ owner: SocketOwner?) -> JSONValue {
        owner.map {
            .object([("pid", .integer(Int64($0.pid))), ("command", .string($0.command)), ("evidence", .string($0.evidence.rawValue))])
        } ?? .null
    }

    /// One JSON object (a line of JSON Lines).
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("time", .number(self.wallTime)), ("direction", .string(self.direction)),
            ("local", .string(self.event.ends.local)), ("remote", .string(self.event.ends.remote)),
            ("state", self.event.state.map(JSONValue.string) ?? .null),
        ]
        if case .sentReset(let reason) = self.event.kind {
            fields.append(("reason", reason.map { .string($0.name) } ?? .null))
            fields.append(("meaning", reason.map { .string($0.meaning) } ?? .null))
            fields.append(("peerSees", reason.map { .string($0.peerSees) } ?? .null))
            fields.append(("explain", reason.map { .string($0.explainQuery) } ?? .null))
        }
        if case .stateChanged(let from, let to) = self.event.kind {
            fields.append(("from", .string(from)))
            fields.append(("to", .string(to)))
        }
        fields.append(("process", Self.json(self.attribution.owner)))
        fields.append(("peerProcess", Self.json(self.attribution.peer)))
        fields.append(("runningTask", self.origin == .packetCapture ? .null : .string("\(self.event.runningCommand)/\(self.event.runningPID)")))
        fields.append(("source", .string(self.origin.rawValue)))
        if !self.trail.isEmpty {
            fields.append((
                "before",
                .array(self.trail.map { earlier in
                    var entry: [(String, JSONValue)] = [
                        ("time", .number(earlier.timestamp + self.wallOffset)), ("event", .string(Self.direction(of: earlier.kind))),
                    ]
                    if case .stateChanged(let from, let to) = earlier.kind {
                        entry.append(("from", .string(from)))
                        entry.append(("to", .string(to)))
                    } else {
                        entry.append(("state", earlier.state.map(JSONValue.string) ?? .null))
                    }
                    return .object(entry)
                })
            ))
        }
        return .object(fields)
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        self.count >= width ? self : self + String(repeating: " ", count: width - self.count)
    }
}
