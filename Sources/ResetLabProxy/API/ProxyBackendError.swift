/// Why the engine could not do what the control API asked.
public enum ProxyBackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The listener could not be opened. The message is the operating system's, in Go's wording where
    /// possible, because Toxiproxy clients show it as is: `listen tcp 127.0.0.1:8080: bind: address
    /// already in use`.
    case listen(String)
    /// The listen address is taken by another socket. The API answers 409 Conflict (Toxiproxy says 500),
    /// with the same words: `listen tcp 127.0.0.1:8080: bind: address already in use`.
    case addressInUse(String)

    /// The text the API sends as the `"error"`.
    public var message: String {
        switch self {
        case .listen(let message), .addressInUse(let message): return message
        }
    }

    /// The HTTP status the API answers with.
    public var status: Int {
        switch self {
        case .listen: return 500
        case .addressInUse: return 409
        }
    }

    public var description: String { self.message }
}
