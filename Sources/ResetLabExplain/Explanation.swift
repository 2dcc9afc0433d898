import ResetLabCatalog

/// The answer to "what does this error mean?": the catalog conditions the input points to, most likely first.
public struct Explanation: Sendable {
    /// The text that was explained.
    public var input: String
    /// The platform the user narrowed the search to, if any.
    public var platform: Platform?
    /// The matches, most likely first. Empty when nothing matched.
    public var matches: [ExplanationMatch]
    /// When nothing matched: the nearest names and numbers the catalog knows.
    public var suggestions: [String]
}

/// One condition that the input points to, and why.
public struct ExplanationMatch: Sendable {
    public var condition: Condition
    /// Relative strength of the evidence; only the order matters.
    public var score: Double
    /// The codes the input named or numbered directly (empty when only a message matched).
    public var matchedCodes: [ErrorCode]
    /// One line per piece of evidence, e.g. "104 is ECONNRESET on Linux".
    public var evidence: [String]
}
