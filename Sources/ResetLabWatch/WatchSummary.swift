/// What `resetlab watch` prints at the end: resets counted by reason, by process and by remote end.
public struct WatchSummary: Sendable, Equatable {
    public private(set) var sent = 0
    public private(set) var received = 0
    public private(set) var byReason: [String: Int] = [:]
    // Counted by value and named only when shown: a busy watch adds tens of thousands a second.
    private var processes: [ProcessKey: Int] = [:]
    private var remotes: [TraceEndpoint: Int] = [:]

    private struct ProcessKey: Hashable {
        var pid: Int32?
        var command: String
        var atTheOtherEnd: Bool
    }

    /// Resets by the process at this end (or, when unknown, at the other end on this host).
    public var byProcess: [String: Int] {
        var named: [String: Int] = [:]
        for (key, count) in self.processes {
            let name = key.pid.map { "\(key.command) (pid \($0))" + (key.atTheOtherEnd ? " at the other end" : "") } ?? "unknown"
            named[name, default: 0] += count
        }
        return named
    }

    /// Resets by remote end.
    public var byRemote: [String: Int] {
        var named: [String: Int] = [:]
        for (endpoint, count) in self.remotes { named[endpoint.description, default: 0] += count }
        return named
    }

    public init() {}

    /// Counts `line` if it is a reset.
    public mutating func add(_ line: WatchLine) {
        switch line.event.kind {
        case .sentReset(let reason):
            self.sent += 1
            self.byReason[reason?.name ?? (line.origin == .packetCapture ? "unknown (captured on the wire)" : "not reported by this kernel"), default: 0] += 1
        case .receivedReset:
            self.received += 1
        default:
            return
        }
        let key: ProcessKey
        if let owner = line.attribution.owner {
            key = ProcessKey(pid: owner.pid, command: owner.command, atTheOtherEnd: false)
        } else if let peer = line.attribution.peer {
            key = ProcessKey(pid: peer.pid, command: peer.command, atTheOtherEnd: true)
        } else {
            key = ProcessKey(pid: nil, command: "", atTheOtherEnd: false)
        }
        self.processes[key, default: 0] += 1
        self.remotes[line.event.remote, default: 0] += 1
    }

    /// The summary for a terminal: each table most frequent first (ties by name).
    public var text: String {
        var lines = ["\(self.sent) resets sent, \(self.received) received"]
        for (title, counts) in [("by reason", self.byReason), ("by process", self.byProcess), ("by remote end", self.byRemote)] where !counts.isEmpty {
            lines.append("\(title):")
            for (name, count) in counts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                lines.append("  \(String(count).leftPadded(7))  \(name)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        self.count >= width ? self : String(repeating: " ", count: width - self.count) + self
    }
}
