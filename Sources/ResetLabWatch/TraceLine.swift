/// One line of a tracefs `trace` or `trace_pipe` file, split into who was running, when, which event and
/// its `name=value` fields:
///
/// ```
///   python3-30025   [001] ..s1. 19223.277504: tcp_send_reset: skbaddr=… src=127.0.0.1:1 dest=127.0.0.1:51446 state=UNKNOWN reason=NO_SOCKET
/// ```
///
/// The task is the one on the CPU when the event fired, which for softirq work (most resets) is whoever
/// happened to be running, not necessarily the socket's owner.
public struct TraceLine: Sendable, Equatable {
    /// The running task's command (may contain spaces and dashes).
    public var command: String
    public var pid: Int32
    public var cpu: Int
    /// Seconds since boot (the trace clock).
    public var timestamp: Double
    /// The event's name, e.g. `tcp_send_reset`.
    public var event: String
    /// The event's fields, in the order printed.
    public var fields: [(name: String, value: Substring)]

    /// Parses `line`; `nil` for comments (`#`), blank lines and anything not shaped like an event.
    public init?(_ line: Substring) {
        guard let (open, close) = Self.cpuBrackets(in: line) else { return nil }
        var task = line[..<open].drop { $0 == " " }
        while task.last == " " { task = task.dropLast() }
        guard !task.hasPrefix("#"), let dash = task.lastIndex(of: "-"), let pid = Int32(task[task.index(after: dash)...]),
            let cpu = Int(line[line.index(after: open)..<close])
        else { return nil }
        // After the CPU: flags, then "timestamp: event: fields".
        let rest = line[line.index(after: close)...].drop { $0 == " " }
        guard let flagsEnd = rest.firstIndex(of: " ") else { return nil }
        let timed = rest[flagsEnd...].drop { $0 == " " }
        guard let stampEnd = timed.firstIndex(of: ":"), let timestamp = Double(timed[..<stampEnd]) else { return nil }
        let named = timed[timed.index(after: stampEnd)...].drop { $0 == " " }
        guard let nameEnd = named.firstIndex(of: ":") else { return nil }
        self.command = String(task[..<dash])
        self.pid = pid
        self.cpu = cpu
        self.timestamp = timestamp
        self.event = String(named[..<nameEnd])
        self.fields = named[named.index(after: nameEnd)...].split(separator: " ").compactMap { pair in
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            return (String(pair[..<equals]), pair[pair.index(after: equals)...])
        }
    }

    /// The first ` [digits]` in `line`: the CPU column, which follows the task however odd its name.
    private static func cpuBrackets(in line: Substring) -> (open: Substring.Index, close: Substring.Index)? {
        var index = line.startIndex
        while let open = line[index...].firstIndex(of: "[") {
            let digits = line[line.index(after: open)...].prefix { $0.isASCII && $0.isNumber }
            if open > line.startIndex, line[line.index(before: open)] == " ", !digits.isEmpty, digits.endIndex < line.endIndex,
                line[digits.endIndex] == "]"
            {
                return (open, digits.endIndex)
            }
            index = line.index(after: open)
        }
        return nil
    }

    /// The value of the field `name`, if printed.
    public subscript(_ name: String) -> Substring? {
        self.fields.first { $0.name == name }?.value
    }

    public static func == (lhs: TraceLine, rhs: TraceLine) -> Bool {
        lhs.command == rhs.command && lhs.pid == rhs.pid && lhs.cpu == rhs.cpu && lhs.timestamp == rhs.timestamp
            && lhs.event == rhs.event && lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}
