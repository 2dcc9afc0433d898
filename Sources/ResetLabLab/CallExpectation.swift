/// What a scenario expects one call to return on Linux.
public indirect enum CallExpectation: Sendable, Hashable, CustomStringConvertible {
    /// The call succeeds (any non-error outcome).
    case succeeds
    /// `send` accepts exactly this many bytes.
    case sends(Int)
    /// `recv` returns exactly this many bytes.
    case receives(Int)
    /// `recv` returns 0.
    case endOfStream
    /// The call fails with this errno name.
    case fails(String)
    /// A framed read finds this many messages.
    case frames(Int)
    /// The socket is in this TCP state (for ``LabAction/inspect``).
    case inState(TCPState)
    /// Any of these.
    case anyOf([CallExpectation])

    /// Whether a call's outcome, and the state its socket was in, meet the expectation.
    public func isMet(by outcome: CallOutcome, stateBefore: TCPState? = nil) -> Bool {
        switch (self, outcome) {
        case (.inState(let expected), _): stateBefore == expected
        case (.succeeds, .failed): false
        case (.succeeds, _): true
        case (.sends(let expected), .sent(let actual)): expected == actual
        case (.receives(let expected), .received(let bytes)): expected == bytes.count
        case (.endOfStream, .endOfStream): true
        case (.fails(let name), .failed(let error)): name == error.name
        case (.frames(let expected), .frames(let actual)): expected == actual
        case (.anyOf(let options), _): options.contains { $0.isMet(by: outcome, stateBefore: stateBefore) }
        default: false
        }
    }

    public var description: String {
        switch self {
        case .succeeds: "success"
        case .sends(let count): "\(count) bytes sent"
        case .receives(let count): "\(count) bytes"
        case .endOfStream: "0 (EOF)"
        case .fails(let name): name
        case .frames(let count): "\(count) messages"
        case .inState(let state): "state \(state.netstatName)"
        case .anyOf(let options): options.map(\.description).joined(separator: " or ")
        }
    }
}
