/// Whether a delivery that was under way when the process died reached the application's output,
/// judged by the output's size now. The journal said, before the write, where the output stood
/// (`cursor`) and how many bytes the write would add (`length`); an append-only output tells the rest.
public enum OutputReconciliation: Sendable, Equatable {
    /// All of it is there: the message counts as delivered.
    case happened
    /// None of it is there: deliver the message again.
    case didNotHappen
    /// Part of it was written: cut the output back to `truncateTo`, then deliver it again.
    case torn(truncateTo: UInt64)

    public init(outputSize: UInt64, pending: JournalState.Pending) {
        if outputSize >= pending.cursor &+ pending.length {
            self = .happened
        } else if outputSize <= pending.cursor {
            self = .didNotHappen
        } else {
            self = .torn(truncateTo: pending.cursor)
        }
    }
}
