import CResetLabPrefetch

/// Keeps the bytes a little ahead of a sequential walk through a capture on their way into the cache.
///
/// A record's place is known only once the one before it has been read, so the walk from header to header
/// waits on memory at every record when nothing brings those lines in early. Every fourth line a few
/// kilobytes ahead is asked for (the CPU fetches lines in pairs): enough that most headers are already at
/// hand when reached, without pulling every payload byte of the file through the cache.
struct ReadAhead {
    /// How far ahead of the walk lines are asked for.
    static let distance = 4096
    /// One line is asked for per this many bytes.
    static let stride = 256

    /// The next position to ask for, in the buffer being walked.
    private var front = Self.distance

    /// Asks for the lines up to ``distance`` bytes past `position` in `bytes` that were not asked for yet.
    @inline(__always)
    mutating func advance(to position: Int, in bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        let target = min(position &+ Self.distance, bytes.count)
        while self.front < target {
            rl_prefetch_once(base + self.front)
            self.front &+= Self.stride
        }
    }
}
