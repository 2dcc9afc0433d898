import ResetLabJSON

/// One HTTP response from the control API: status, `Content-Type` and body bytes.
///
/// The shapes are Toxiproxy's, byte for byte: JSON documents without a trailing newline as
/// `application/json`, errors as `{"error":…,"status":…}` plus a newline as `text/plain; charset=utf-8`
/// (Go's `http.Error`), 204 and 405 with no body and no `Content-Type`.
public struct APIResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The `Content-Type` header value; empty means "send no `Content-Type`".
    public var contentType: String
    /// The body bytes.
    public var body: [UInt8]

    /// - Parameters:
    ///   - status: The HTTP status code.
    ///   - contentType: The `Content-Type` value, empty for none.
    ///   - body: The body bytes.
    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// The body as UTF-8 text (invalid sequences repaired), for logs and tests.
    public var bodyText: String {
        String(decoding: self.body, as: UTF8.self)
    }

    /// The `Content-Type` of JSON documents, as Toxiproxy sends it.
    public static let jsonContentType = "application/json"
    /// The `Content-Type` of errors and plain-text pages (Go's `http.Error`).
    public static let textContentType = "text/plain; charset=utf-8"
    /// The `Content-Type` of `/metrics` (Prometheus text format 0.0.4, as `promhttp` sends it).
    public static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A JSON document with `Content-Type: application/json`.
    /// - Parameters:
    ///   - status: The HTTP status code.
    ///   - value: The document.
    public static func json(_ status: Int, _ value: JSONValue) -> APIResponse {
        APIResponse(status: status, contentType: Self.jsonContentType, body: Array(value.serialized().utf8))
    }

    /// An error in Toxiproxy's shape: `{"error":"<message>","status":<code>}` and a newline, as plain text.
    public static func error(_ error: APIError) -> APIResponse {
        let document = JSONValue.object([("error", .string(error.message)), ("status", .integer(Int64(error.status)))])
        return APIResponse(
            status: error.status,
            contentType: Self.textContentType,
            body: Array((document.serialized() + "\n").utf8)
        )
    }

    /// A plain-text page with a trailing newline (Go's `http.Error` with a bare message).
    public static func text(_ status: Int, _ message: String) -> APIResponse {
        APIResponse(status: status, contentType: Self.textContentType, body: Array((message + "\n").utf8))
    }

    /// An empty response without `Content-Type` (204 No Content, 405 Method Not Allowed).
    public static func empty(_ status: Int) -> APIResponse {
        APIResponse(status: status, contentType: "", body: [])
    }

    /// Go's `404 page not found` page for paths no route matches.
    public static let pageNotFound = APIResponse.text(404, "404 page not found")
    /// Gorilla mux's answer when the path matches a route but the method does not.
    public static let methodNotAllowed = APIResponse.empty(405)
    /// The CSRF guard's answer to browsers.
    public static let userAgentNotAllowed = APIResponse.text(403, "User agent not allowed")
}
