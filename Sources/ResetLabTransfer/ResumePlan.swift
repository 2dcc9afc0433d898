/// Where the receiver asks a sender to start, and why: the resume decision, made from values only.
public struct ResumePlan: Sendable, Equatable {
    /// Why the plan starts where it does.
    public enum Reason: String, Sendable, Equatable {
        /// No partial file: a new transfer.
        case fresh
        /// The partial file belongs to this source file: continue from its verified offset.
        case resumed
        /// The partial file belongs to another version of the file (size or modification time differ).
        case identityChanged = "identity changed"
        /// A partial file exists but its state is missing or damaged: its bytes cannot be trusted.
        case stateUnusable = "state unusable"
    }

    /// The offset the sender is asked to start from.
    public var offset: UInt64
    public var reason: Reason

    public init(offset: UInt64, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    /// Decides where to start.
    /// - Parameters:
    ///   - identity: the offered file's identity.
    ///   - state: the decoded state file, `nil` when missing or damaged.
    ///   - partialSize: the partial file's size, `nil` when there is none.
    /// - Returns: the verified offset when the state belongs to this file, never past the bytes actually
    ///   in the partial file nor past the file's size; otherwise 0 with the reason.
    public static func decide(offering identity: FileIdentity, state: PartialState?, partialSize: UInt64?) -> ResumePlan {
        guard let partialSize else { return ResumePlan(offset: 0, reason: .fresh) }
        guard let state else {
            return ResumePlan(offset: 0, reason: partialSize == 0 ? .fresh : .stateUnusable)
        }
        guard state.identity == identity else { return ResumePlan(offset: 0, reason: .identityChanged) }
        guard state.verifiedOffset <= identity.size else { return ResumePlan(offset: 0, reason: .stateUnusable) }
        return ResumePlan(offset: min(state.verifiedOffset, partialSize), reason: .resumed)
    }
}
