/// A failure the control API reports to its client: an HTTP status and a message.
///
/// The messages Toxiproxy clients may match on are kept word for word (`proxy not found`,
/// `toxic already exists`, `missing required field: upstream`, …); the ones ResetLab adds say what was
/// wrong and what is accepted instead.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code: 400, 404, 409 or 500.
    public var status: Int
    /// What went wrong, without where.
    public var reason: String
    /// Where in the body it went wrong, outermost first (`["proxy 2", "toxic 1"]`).
    public var location: [String]

    /// The text sent as `"error"`: the reason, then where (`missing required field: name at proxy 1`,
    /// Toxiproxy's wording for `/populate`).
    public var message: String {
        self.location.isEmpty ? self.reason : "\(self.reason) at \(self.location.joined(separator: ", "))"
    }

    /// - Parameters:
    ///   - status: The HTTP status code.
    ///   - message: The message for the client.
    public init(status: Int, message: String) {
        self.status = status
        self.reason = message
        self.location = []
    }

    /// The same error, placed inside an enclosing part of the body.
    /// - Parameter place: The enclosing part, e.g. `proxy 2`.
    public func located(_ place: String) -> APIError {
        var copy = self
        copy.location.insert(place, at: 0)
        return copy
    }

    public var description: String { "\(self.status) \(self.message)" }

    /// 404 `proxy not found`.
    public static let proxyNotFound = APIError(status: 404, message: "proxy not found")
    /// 404 `toxic not found`.
    public static let toxicNotFound = APIError(status: 404, message: "toxic not found")
    /// 409 `proxy already exists`.
    public static let proxyAlreadyExists = APIError(status: 409, message: "proxy already exists")
    /// 409 `toxic already exists`.
    public static let toxicAlreadyExists = APIError(status: 409, message: "toxic already exists")
    /// 400 with Toxiproxy's wording for a stream that is neither `upstream` nor `downstream`.
    public static let invalidStream = APIError(
        status: 400,
        message: "stream was invalid, can be either upstream or downstream"
    )

    /// 400 `bad request body: <detail>`.
    public static func badRequestBody(_ detail: String) -> APIError {
        APIError(status: 400, message: "bad request body: \(detail)")
    }

    /// 400 `missing required field: <field>`.
    public static func missingField(_ field: String) -> APIError {
        APIError(status: 400, message: "missing required field: \(field)")
    }

    /// 400 `invalid toxic type: <type>`.
    public static func invalidToxicType(_ type: String) -> APIError {
        APIError(status: 400, message: "invalid toxic type: \(type)")
    }

    /// 500 with the proxy engine's message (a listen error such as `bind: address already in use`).
    public static func backend(_ message: String) -> APIError {
        APIError(status: 500, message: message)
    }
}
