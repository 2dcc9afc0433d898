/// One line of a tracefs `trace` or `trace_pipe` file, split into who was running, when, which event and
/// its `name=value` fields:
///
/// ```
///   python3-30025   [001] ..s1. 19223.277504: tcp_send_reset: skbaddr=… src=127.0.0.1:1 dest=127.0.0.1:51446 state=UNKNOWN reason=NO_SOCKET
/// ```
///
/// The task is the one on the CPU when the event fired, which for softirq work (most resets) is whoever
/// happened to be running, not necessarily the socket's owner. Parsed on UTF-8 bytes: a busy host prints
/// hundreds of thousands of lines a second.
public struct TraceLine: Sendable, Equatable {
    /// The running task's command (may contain spaces and dashes).
    public var command: String
    public var pid: Int32
    public var cpu: Int
    /// The context flags (`..s1.`): the third says where the event fired — `s` softirq, `h`/`H` hard
    /// interrupt, `z`/`Z` NMI, `.` a task's own system call.
    public var flags: Substring
    /// Seconds since boot (the trace clock).
    public var timestamp: Double
    /// The event's name, e.g. `tcp_send_reset`.
    public var event: Substring
    /// The event's fields, in the order printed.
    public var fields: [(name: Substring, value: Substring)]

    /// Parses `line`; `nil` for comments (`#`), blank lines and anything not shaped like an event.
    public init?(_ line: Substring) {
        let bytes = line.utf8
        guard let (open, close) = Self.cpuBrackets(in: bytes) else { return nil }
        // The task: everything before the CPU column, trimmed, ending in "-PID".
        var taskStart = bytes.startIndex
        while taskStart < open, bytes[taskStart] == Self.space { bytes.formIndex(after: &taskStart) }
        var taskEnd = bytes.index(before: open)
        while taskEnd > taskStart, bytes[bytes.index(before: taskEnd)] == Self.space { bytes.formIndex(before: &taskEnd) }
        guard taskStart < taskEnd, bytes[taskStart] != UInt8(ascii: "#"),
            let dash = bytes[taskStart..<taskEnd].lastIndex(of: UInt8(ascii: "-")),
            let pid = Self.integer(bytes[bytes.index(after: dash)..<taskEnd]).flatMap(Int32.init(exactly:)),
            let cpu = Self.integer(bytes[bytes.index(after: open)..<close])
        else { return nil }
        // After the CPU: flags, then "timestamp: event: fields".
        var index = bytes.index(after: close)
        Self.skipSpaces(bytes, &index)
        guard let flagsEnd = bytes[index...].firstIndex(of: Self.space) else { return nil }
        let flags = line[index..<flagsEnd]
        index = flagsEnd
        Self.skipSpaces(bytes, &index)
        guard let stampEnd = bytes[index...].firstIndex(of: Self.colon), let timestamp = Double(Substring(line[index..<stampEnd])) else { return nil }
        index = bytes.index(after: stampEnd)
        Self.skipSpaces(bytes, &index)
        guard let nameEnd = bytes[index...].firstIndex(of: Self.colon) else { return nil }
        self.command = String(line[taskStart..<dash])
        self.pid = pid
        self.cpu = cpu
        self.flags = flags
        self.timestamp = timestamp
        self.event = line[index..<nameEnd]
        var fields: [(name: Substring, value: Substring)] = []
        fields.reserveCapacity(8)
        var start = bytes.index(after: nameEnd)
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: Self.space) ?? bytes.endIndex
            if let equals = bytes[start..<end].firstIndex(of: Self.equals) {
                fields.append((line[start..<equals], line[bytes.index(after: equals)..<end]))
            }
            start = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        self.fields = fields
    }

    private static let space = UInt8(ascii: " ")
    private static let colon = UInt8(ascii: ":")
    private static let equals = UInt8(ascii: "=")

    private static func skipSpaces(_ bytes: Substring.UTF8View, _ index: inout Substring.Index) {
        while index < bytes.endIndex, bytes[index] == Self.space { bytes.formIndex(after: &index) }
    }

    /// A non-empty run of decimal digits (at most 18), or `nil`.
    private static func integer(_ digits: Substring.UTF8View.SubSequence) -> Int? {
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// The first ` [digits]` in `line`: the CPU column, which follows the task however odd its name.
    private static func cpuBrackets(in bytes: Substring.UTF8View) -> (open: Substring.Index, close: Substring.Index)? {
        var index = bytes.startIndex
        while let open = bytes[index...].firstIndex(of: UInt8(ascii: "[")) {
            var close = bytes.index(after: open)
            while close < bytes.endIndex, bytes[close] >= UInt8(ascii: "0"), bytes[close] <= UInt8(ascii: "9") { bytes.formIndex(after: &close) }
            if open > bytes.startIndex, bytes[bytes.index(before: open)] == Self.space, close > bytes.index(after: open),
                close < bytes.endIndex, bytes[close] == UInt8(ascii: "]")
            {
                return (open, close)
            }
            index = bytes.index(after: open)
        }
        return nil
    }

    /// Whether the event fired in interrupt context (softirq, hard interrupt or NMI), where the running
    /// task merely happened to be on the CPU.
    public var inInterrupt: Bool {
        let context = self.flags.utf8.dropFirst(2).first ?? UInt8(ascii: ".")
        return context != UInt8(ascii: ".")
    }

    /// The value of the field `name`, if printed.
    public subscript(_ name: String) -> Substring? {
        self.fields.first { $0.name == name }?.value
    }

    public static func == (lhs: TraceLine, rhs: TraceLine) -> Bool {
        lhs.command == rhs.command && lhs.pid == rhs.pid && lhs.cpu == rhs.cpu && lhs.flags == rhs.flags && lhs.timestamp == rhs.timestamp
            && lhs.event == rhs.event && lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}
