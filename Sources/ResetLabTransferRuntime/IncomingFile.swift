import ResetLabTransfer

/// A file being received: its partial file, the SHA-256 of its verified prefix (computed beside the
/// socket loop by a ``FileHasher``) and its figures. It outlives connections, so that a sender
/// reconnecting after a reset continues without the prefix being hashed again. Used by one connection at
/// a time (the ``ReceiverRegistry`` sees to that).
final class IncomingFile {
    let name: ReceivedFileName
    let identity: FileIdentity
    let partial: PartialFile
    /// Hashes the partial file up to the verified offset.
    private let hasher: FileHasher
    /// Bytes from the start that passed their CRC and were written.
    private(set) var verified: UInt64
    /// Where this receiver process started the file (non-zero: continued from an earlier run's partial file).
    let startedAt: UInt64
    /// When this receiver process first saw the file (monotonic seconds).
    let firstSeen: Double
    /// Connections that carried this file in this process.
    var connections = 0

    /// Opens the partial file and decides where to start: continues a partial file of the same source
    /// file (its verified prefix is hashed again, in the background), otherwise starts from zero.
    init(name: ReceivedFileName, identity: FileIdentity, directory: Int32, now: Double) throws(ReceiveFailure) {
        self.name = name
        self.identity = identity
        self.partial = try PartialFile(name: name, directory: directory)
        self.firstSeen = now
        let plan = ResumePlan.decide(offering: identity, state: self.partial.readState(), partialSize: self.partial.size)
        self.verified = plan.offset
        self.startedAt = plan.offset
        try self.partial.truncate(to: plan.offset)
        try self.partial.writeState(PartialState(identity: identity, verifiedOffset: plan.offset))
        self.hasher = FileHasher(descriptor: self.partial.dataDescriptor, hashUpTo: plan.offset)
    }

    deinit {
        self.hasher.close()
    }

    /// Writes a chunk that passed its CRC at the verified offset, and moves the offset past it.
    func append(_ data: UnsafeRawBufferPointer) throws(ReceiveFailure) {
        try self.partial.write(data, at: self.verified)
        self.verified += UInt64(data.count)
        try self.partial.writeState(PartialState(identity: self.identity, verifiedOffset: self.verified))
        self.hasher.advance(to: self.verified)
    }

    /// Compares the whole file's SHA-256 with the sender's. On a match the file gets its name; otherwise
    /// the partial file is discarded. Either way this object is spent.
    /// - Returns: the receiver's digest and whether it matched.
    /// - Throws: ``ReceiveFailure`` `.storage` when the partial file cannot be read back or renamed.
    func finish(expecting expected: SHA256Digest) throws(ReceiveFailure) -> (SHA256Digest, Bool) {
        switch self.hasher.finish(size: self.identity.size) {
        case .failure(let failure):
            self.partial.discard()
            throw ReceiveFailure(.storage, "the receiver cannot read \(self.name.partialName) back: \(failure.reason)")
        case .success(let digest) where digest != expected:
            self.partial.discard()
            return (digest, false)
        case .success(let digest):
            try self.partial.finish()
            return (digest, true)
        }
    }
}

@available(*, unavailable)
extension IncomingFile: Sendable {}
