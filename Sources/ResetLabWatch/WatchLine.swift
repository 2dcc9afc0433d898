import ResetLabJSON

/// How `resetlab watch` prints one event: a line for people, a JSON object for machines.
public struct WatchLine: Sendable, Equatable {
    public var event: KernelEvent
    /// The wall-clock time of the event, in seconds since 1970.
    public var wallTime: Double
    /// The process holding the socket, when it could still be found.
    public var owner: (pid: Int32, command: String)?

    public init(event: KernelEvent, wallTime: Double, owner: (pid: Int32, command: String)?) {
        self.event = event
        self.wallTime = wallTime
        self.owner = owner
    }

    public static func == (lhs: WatchLine, rhs: WatchLine) -> Bool {
        lhs.event == rhs.event && lhs.wallTime == rhs.wallTime && lhs.owner?.pid == rhs.owner?.pid && lhs.owner?.command == rhs.owner?.command
    }

    /// `sent`, `received`, `state`, `retransmit` or `destroyed`.
    public var direction: String {
        switch self.event.kind {
        case .sentReset: "sent"
        case .receivedReset: "received"
        case .stateChanged: "state"
        case .retransmitted: "retransmit"
        case .destroyed: "destroyed"
        }
    }

    private var ownerText: String {
        if let owner = self.owner { return "\(owner.command) (pid \(owner.pid))" }
        if case .sentReset(reason: .noSocket) = self.event.kind { return "no socket (nothing owns this port)" }
        return "unknown (the socket was already gone)"
    }

    /// `HH:MM:SS.micro` in UTC.
    private var clock: String {
        let day = self.wallTime.truncatingRemainder(dividingBy: 86_400)
        let seconds = Int(day)
        let micros = Int((day - Double(seconds)) * 1_000_000)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(micros)
        return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60)).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    /// One line for a terminal.
    public var text: String {
        let ends = "\(self.event.local) → \(self.event.remote)"
        let head = "\(self.clock) \(self.direction.padding(10)) \(ends)  \(self.ownerText)"
        switch self.event.kind {
        case .sentReset(let reason):
            let state = self.event.state.map { " in \($0)" } ?? ""
            guard let reason else {
                return head + "\(state)\n    reason: not reported by this kernel (tcp_send_reset has no reason field before Linux 6.10)"
            }
            return head + "\(state)\n    \(reason.name): \(reason.meaning)\n    the peer sees: \(reason.peerSees)"
        case .receivedReset:
            return head + "\n    the peer (or a device in between) sent RST: a connecting application sees ECONNREFUSED (WSAECONNREFUSED 10061), a connected one ECONNRESET (WSAECONNRESET 10054)"
        case .stateChanged(let from, let to):
            return head + "  \(from) → \(to)"
        case .retransmitted:
            return head + (self.event.state.map { "  in \($0)" } ?? "")
        case .destroyed:
            return head
        }
    }

    /// One JSON object (a line of JSON Lines).
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("time", .number(self.wallTime)), ("direction", .string(self.direction)),
            ("local", .string(self.event.local.description)), ("remote", .string(self.event.remote.description)),
            ("state", self.event.state.map(JSONValue.string) ?? .null),
        ]
        if case .sentReset(let reason) = self.event.kind {
            fields.append(("reason", reason.map { .string($0.name) } ?? .null))
            fields.append(("meaning", reason.map { .string($0.meaning) } ?? .null))
            fields.append(("peerSees", reason.map { .string($0.peerSees) } ?? .null))
        }
        if case .stateChanged(let from, let to) = self.event.kind {
            fields.append(("from", .string(from)))
            fields.append(("to", .string(to)))
        }
        fields.append((
            "process",
            self.owner.map { .object([("pid", .integer(Int64($0.pid))), ("command", .string($0.command))]) } ?? .null
        ))
        fields.append(("runningTask", .string("\(self.event.runningCommand)/\(self.event.runningPID)")))
        return .object(fields)
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        self.count >= width ? self : self + String(repeating: " ", count: width - self.count)
    }
}
