import ResetLabCatalog

/// Something in the user's input that points at catalog conditions.
struct Clue: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A symbolic name such as `WSAECONNRESET` or `SocketError.ConnectionReset`.
        case name(String)
        /// A number, with what the surrounding text says about where it comes from.
        case number(value: Int64, text: String, context: NumberContext)
        /// A runtime message found in the input; `contained` when a longer message covers it.
        case message(patternIndex: Int, contained: Bool)
        /// The whole (short) input is part of a message or title, e.g. "broken pipe".
        case phrase(String)
        /// The whole input is a condition id, e.g. `connection-aborted` from a "See also" line.
        case conditionID(Int)
    }

    var kind: Kind
    /// Where the clue starts in the input (UTF-8 offset), to keep evidence in reading order.
    var offset: Int
}

/// What the text around a number says about it.
struct NumberContext: Sendable, Hashable {
    /// The number is the whole input: every reading counts fully.
    var isWholeInput: Bool
    /// A word like `errno`, `error` or `code` stands right before it.
    var keyword: String?
    /// Namespaces the surrounding words point to (`[WinError 10054]` points to Winsock).
    var hints: Set<CodeNamespace>
}
