/// Why the engine could not do what the control API asked.
public enum ProxyBackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The listener could not be opened. The message is the operating system's, in Go's wording where
    /// possible, because Toxiproxy clients show it as is: `listen tcp 127.0.0.1:8080: bind: address
    /// already in use`.
    case listen(String)

    /// The text the API sends as the 500's `"error"`.
    public var message: String {
        switch self {
        case .listen(let message): return message
        }
    }

    public var description: String { self.message }
}
