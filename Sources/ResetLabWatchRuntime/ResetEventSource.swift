import ResetLabWatch

/// Where `resetlab watch` gets its events: the kernel's tracepoints (``TracefsSession``) or, without
/// tracefs, RSTs captured on the wire (``PacketResetCapture``).
public protocol ResetEventSource: AnyObject, Sendable {
    /// Reads events until ``close()`` or `body` returns `false`; `batchEnd` after each batch read at once
    /// and every 0.1 s while nothing comes. `batchEnd`'s argument, when not nil, is a time (seconds on
    /// CLOCK_MONOTONIC, like ``KernelEvent/timestamp``) at which the kernel's queue was empty: every event
    /// from before it has been given to `body`. Nil when more may be queued.
    /// Blocks: run it on a thread of its own.
    func read(batchEnd: (_ readThrough: Double?) -> Void, _ body: (KernelEvent) -> Bool)
    /// Stops reading (a running read drains what is already queued, then returns).
    func close()
    /// Events the kernel dropped because the reader fell behind.
    var lostEvents: Int { get }
}

extension TracefsSession: ResetEventSource {}

extension PacketResetCapture: ResetEventSource {
    public var lostEvents: Int { self.droppedPackets }
}
