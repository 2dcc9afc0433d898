/// What ``ConnectionLimitFault`` decides about a connection the proxy has just accepted.
public enum ConnectionLimitDecision: Sendable, Hashable {
    /// Under the limit: proxy it as usual.
    case allow
    /// Over the limit: abort it at once with RST, before dialling the upstream.
    case reset
}
