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
    public var flags: String
    /// Seconds since boot (the trace clock).
    public var timestamp: Double
    /// The event's name, e.g. `tcp_send_reset`.
    public var event: Substring
    /// The line, and where each `name=value` field is in it (byte offsets): values are cut out only when
    /// asked for, so a line costs no allocation per field.
    private var text: Substring
    private var spans: [FieldSpan]

    private struct FieldSpan: Sendable, Equatable {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        var valueEnd: Int32
    }

    /// Parses `line`; `nil` for comments (`#`), blank lines and anything not shaped like an event.
    public init?(_ line: Substring) {
        // Scanned in place when the line's string is contiguous UTF-8 (it is when read from tracefs).
        let base = line.base.utf8
        let start = base.distance(from: base.startIndex, to: line.startIndex)
        let end = start + line.utf8.count
        let scanned = base.withContiguousStorageIfAvailable { Layout(UnsafeBufferPointer(rebasing: $0[start..<end])) }
            ?? Array(line.utf8).withUnsafeBufferPointer { Layout($0) }
        guard let layout = scanned else { return nil }
        func slice(_ range: Range<Int>) -> Substring {
            line[line.utf8.index(line.startIndex, offsetBy: range.lowerBound)..<line.utf8.index(line.startIndex, offsetBy: range.upperBound)]
        }
        guard let timestamp = Double(slice(layout.timestamp)) else { return nil }
        self.command = String(slice(layout.command))
        self.pid = layout.pid
        self.cpu = layout.cpu
        self.flags = String(slice(layout.flags))
        self.timestamp = timestamp
        self.event = slice(layout.event)
        self.text = line
        self.spans = layout.fields
    }

    /// The value of the field `name`, if printed.
    public subscript(_ name: String) -> Substring? {
        let base = self.text.base.utf8
        let lineStart = base.distance(from: base.startIndex, to: self.text.startIndex)
        var found: FieldSpan?
        var scanned = false
        _ = base.withContiguousStorageIfAvailable { bytes in
            name.utf8.withContiguousStorageIfAvailable { wanted in
                scanned = true
                found = self.spans.first { span in
                    guard Int(span.nameEnd - span.nameStart) == wanted.count else { return false }
                    let offset = lineStart + Int(span.nameStart)
                    for index in 0..<wanted.count where bytes[offset + index] != wanted[index] { return false }
                    return true
                }
            }
        }
        if !scanned {
            // Not contiguous UTF-8 (never the case for lines read from tracefs): the slow way.
            found = self.spans.first { self.slice($0.nameStart, $0.nameEnd).utf8.elementsEqual(name.utf8) }
        }
        guard let span = found else { return nil }
        return self.slice(span.valueStart, span.valueEnd)
    }

    private func slice(_ start: Int32, _ end: Int32) -> Substring {
        let utf8 = self.text.utf8
        let lower = utf8.index(self.text.startIndex, offsetBy: Int(start))
        return self.text[lower..<utf8.index(lower, offsetBy: Int(end - start))]
    }

    /// Calls `body` with each event line of `text` (lines that do not parse are skipped) until it returns
    /// `false`. Finds the line ends in the text's UTF-8 directly: the reader's hot loop.
    public static func forEach(in text: String, _ body: (TraceLine) -> Bool) {
        let utf8 = text.utf8
        let ends: [Int] = utf8.withContiguousStorageIfAvailable { bytes in
            var ends: [Int] = []
            ends.reserveCapacity(bytes.count / 100)
            for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "\n") { ends.append(index) }
            ends.append(bytes.count)
            return ends
        } ?? (utf8.enumerated().filter { $0.element == UInt8(ascii: "\n") }.map(\.offset) + [utf8.count])
        var start = utf8.startIndex
        var startOffset = 0
        for end in ends {
            guard end > startOffset else {
                startOffset = end + 1
                start = utf8.index(start, offsetBy: 1, limitedBy: utf8.endIndex) ?? utf8.endIndex
                continue
            }
            let stop = utf8.index(start, offsetBy: end - startOffset)
            if let line = TraceLine(text[start..<stop]), !body(line) { return }
            startOffset = end + 1
            start = stop < utf8.endIndex ? utf8.index(after: stop) : stop
        }
    }

    /// Every field, in the order printed.
    public var fields: [(name: Substring, value: Substring)] {
        self.spans.map { (self.slice($0.nameStart, $0.nameEnd), self.slice($0.valueStart, $0.valueEnd)) }
    }

    /// Whether the event fired in interrupt context (softirq, hard interrupt or NMI), where the running
    /// task merely happened to be on the CPU.
    public var inInterrupt: Bool {
        let context = self.flags.utf8.dropFirst(2).first ?? UInt8(ascii: ".")
        return context != UInt8(ascii: ".")
    }

    public static func == (lhs: TraceLine, rhs: TraceLine) -> Bool {
        lhs.command == rhs.command && lhs.pid == rhs.pid && lhs.cpu == rhs.cpu && lhs.flags == rhs.flags && lhs.timestamp == rhs.timestamp
            && lhs.event == rhs.event && lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Where each part of a line is, as byte offsets, found in one pass over its UTF-8.
    private struct Layout {
        var command: Range<Int>
        var pid: Int32
        var cpu: Int
        var flags: Range<Int>
        var timestamp: Range<Int>
        var event: Range<Int>
        var fields: [FieldSpan] = []

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard bytes.count < Int(Int32.max), let (open, close) = Self.cpuBrackets(in: bytes) else { return nil }
            // The task: everything before the CPU column, trimmed, ending in "-PID".
            var taskStart = 0
            while taskStart < open, bytes[taskStart] == space { taskStart += 1 }
            var taskEnd = open
            while taskEnd > taskStart, bytes[taskEnd - 1] == space { taskEnd -= 1 }
            var dash = taskEnd - 1
            while dash > taskStart, bytes[dash] != UInt8(ascii: "-") { dash -= 1 }
            // (In this order: `dash` is only read once the task is known not to be empty.)
            guard taskStart < taskEnd, bytes[taskStart] != UInt8(ascii: "#"), bytes[dash] == UInt8(ascii: "-"),
                let pid = Self.integer(bytes, dash + 1..<taskEnd).flatMap(Int32.init(exactly:)),
                let cpu = Self.integer(bytes, open + 1..<close)
            else { return nil }
            self.command = taskStart..<dash
            self.pid = pid
            self.cpu = cpu
            // After the CPU: flags, then "timestamp: event: fields".
            var index = Self.skipSpaces(bytes, from: close + 1)
            guard let flagsEnd = Self.find(space, in: bytes, from: index) else { return nil }
            self.flags = index..<flagsEnd
            index = Self.skipSpaces(bytes, from: flagsEnd)
            guard let stampEnd = Self.find(colon, in: bytes, from: index) else { return nil }
            self.timestamp = index..<stampEnd
            index = Self.skipSpaces(bytes, from: stampEnd + 1)
            guard let nameEnd = Self.find(colon, in: bytes, from: index) else { return nil }
            self.event = index..<nameEnd
            self.fields.reserveCapacity(10)
            var start = nameEnd + 1
            while start < bytes.count {
                var end = start
                var equals = -1
                while end < bytes.count, bytes[end] != space {
                    if equals < 0, bytes[end] == equalsSign { equals = end }
                    end += 1
                }
                if equals >= 0 {
                    self.fields.append(FieldSpan(nameStart: Int32(start), nameEnd: Int32(equals), valueStart: Int32(equals + 1), valueEnd: Int32(end)))
                }
                start = end + 1
            }
        }

        private static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
            var index = start
            while index < bytes.count {
                if bytes[index] == byte { return index }
                index += 1
            }
            return nil
        }

        private static func skipSpaces(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
            var index = start
            while index < bytes.count, bytes[index] == space { index += 1 }
            return index
        }

        /// A non-empty run of decimal digits (at most 18), or `nil`.
        private static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
            guard !range.isEmpty, range.count <= 18 else { return nil }
            var value = 0
            for index in range {
                let digit = bytes[index]
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(digit - UInt8(ascii: "0"))
            }
            return value
        }

        /// The first ` [digits]`: the CPU column, which follows the task however odd its name.
        private static func cpuBrackets(in bytes: UnsafeBufferPointer<UInt8>) -> (open: Int, close: Int)? {
            var open = 1
            while open < bytes.count {
                if bytes[open] == UInt8(ascii: "["), bytes[open - 1] == space {
                    var close = open + 1
                    while close < bytes.count, bytes[close] >= UInt8(ascii: "0"), bytes[close] <= UInt8(ascii: "9") { close += 1 }
                    if close > open + 1, close < bytes.count, bytes[close] == UInt8(ascii: "]") { return (open, close) }
                }
                open += 1
            }
            return nil
        }
    }
}

private let space = UInt8(ascii: " ")
private let colon = UInt8(ascii: ":")
private let equalsSign = UInt8(ascii: "=")
