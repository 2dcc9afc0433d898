/// One HTTP request to the control API, as the HTTP server hands it over: no sockets, just values.
public struct APIRequest: Sendable {
    /// The method, upper case as sent (`GET`, `POST`, `PATCH`, `DELETE`).
    public var method: String
    /// The request target: a path, optionally followed by `?query` (ignored).
    public var path: String
    /// Header fields in arrival order; names compare case-insensitively.
    public var headers: [(String, String)]
    /// The raw body (JSON for the routes that take one).
    public var body: [UInt8]

    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The request target, e.g. `/proxies/redis/toxics?x=1`.
    ///   - headers: Header fields as `(name, value)` pairs.
    ///   - body: The request body.
    public init(method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The request target.
    ///   - headers: Header fields as `(name, value)` pairs.
    ///   - body: The request body as UTF-8 text.
    public init(method: String, path: String, headers: [(String, String)] = [], body: String) {
        self.init(method: method, path: path, headers: headers, body: Array(body.utf8))
    }

    /// The first value of a header field, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return self.headers.first { $0.0.lowercased() == wanted }?.1
    }
}
