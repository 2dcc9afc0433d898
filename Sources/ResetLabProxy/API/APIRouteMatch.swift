/// The outcome of looking up a request's method and path in the route table.
enum APIRouteMatch: Sendable, Hashable {
    /// The request names this endpoint.
    case route(APIRoute)
    /// No route has this path: Go's `404 page not found`.
    case notFound
    /// A route has this path but takes another method: an empty 405.
    case methodNotAllowed
}
