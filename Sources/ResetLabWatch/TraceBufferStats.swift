/// One CPU's `per_cpu/cpuN/stats` file of a tracefs instance: how many events the kernel had to drop.
public struct TraceBufferStats: Sendable, Equatable {
    /// Events overwritten before they were read (the buffer was full).
    public var overrun: Int
    /// Events dropped because the buffer was full and not overwritable.
    public var dropped: Int

    /// Reads the `name: value` lines; missing lines count as 0.
    public init(_ text: String) {
        var values: [Substring: Int] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            values[line[..<colon]] = Int(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })
        }
        self.overrun = values["overrun"] ?? 0
        self.dropped = values["dropped events"] ?? 0
    }

    /// Every event the kernel lost.
    public var lost: Int { self.overrun + self.dropped }
}
