import Foundation
import ResetLabTransfer

/// Which files are being received, and by which connection: one connection per name at a time.
///
/// A second sender offering a name that is being received is refused as busy. The same sender
/// (same ``TransferOffer/sender`` number) reconnecting after a reset takes its transfer over: the old
/// connection, which this side may not yet have seen die, is shut down, and the new one waits for it to
/// let go. Between connections the ``IncomingFile`` stays here, with its hash state, for the next one.
final class ReceiverRegistry: @unchecked Sendable {
    // Sendable: every field is read and written under `condition`.
    private let condition = NSCondition()
    private var entries: [String: Entry] = [:]

    private final class Entry {
        var owner: UInt64 = 0
        var connection: TransferSocket?
        var file: IncomingFile?
    }

    /// The outcome of asking for a name.
    enum Claim {
        /// This connection now holds the name; `file` is what an earlier connection left, if anything.
        case granted(file: IncomingFile?)
        /// Another sender holds the name.
        case busy
    }

    /// Claims `name` for `connection` on behalf of `sender`.
    func claim(_ name: String, sender: UInt64, connection: TransferSocket) -> Claim {
        self.condition.lock()
        defer { self.condition.unlock() }
        let entry = self.entries[name] ?? Entry()
        self.entries[name] = entry
        if let holder = entry.connection {
            guard entry.owner == sender else { return .busy }
            holder.shutdown()
            let deadline = Date().addingTimeInterval(10)
            while entry.connection != nil {
                guard self.condition.wait(until: deadline) else { return .busy }
            }
            self.entries[name] = entry  // the old connection's release may have forgotten the name
        }
        entry.owner = sender
        entry.connection = connection
        let file = entry.file
        entry.file = nil
        return .granted(file: file)
    }

    /// Lets go of `name`, keeping `file` (unfinished) for the next connection, or forgetting the name when
    /// `file` is `nil`.
    func release(_ name: String, keeping file: IncomingFile?) {
        self.condition.lock()
        defer { self.condition.unlock() }
        if let entry = self.entries[name] {
            entry.connection = nil
            entry.file = file
            if file == nil { self.entries[name] = nil }
        }
        self.condition.broadcast()
    }
}
