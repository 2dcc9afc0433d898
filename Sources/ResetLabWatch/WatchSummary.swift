/// What `resetlab watch` prints at the end: resets counted by reason, by process and by remote end.
public struct WatchSummary: Sendable, Equatable {
    public private(set) var sent = 0
    public private(set) var received = 0
    public private(set) var byReason: [String: Int] = [:]
    public private(set) var byProcess: [String: Int] = [:]
    public private(set) var byRemote: [String: Int] = [:]

    public init() {}

    /// Counts `line` if it is a reset.
    public mutating func add(_ line: WatchLine) {
        switch line.event.kind {
        case .sentReset(let reason):
            self.sent += 1
            self.byReason[reason?.name ?? "not reported", default: 0] += 1
        case .receivedReset:
            self.received += 1
        default:
            return
        }
        self.byProcess[line.owner.map { "\($0.command) (pid \($0.pid))" } ?? "unknown", default: 0] += 1
        self.byRemote[line.event.remote.description, default: 0] += 1
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
