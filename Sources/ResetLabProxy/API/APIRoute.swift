/// Every endpoint of the control API, with the names taken from the path.
///
/// The table is Toxiproxy 2.x's (`api.go`, `Routes()`), plus `/metrics`, which ResetLab always serves:
///
/// ```
/// GET    /version                          GET    /proxies/{proxy}/toxics
/// GET    /proxies                          POST   /proxies/{proxy}/toxics
/// POST   /proxies                          GET    /proxies/{proxy}/toxics/{toxic}
/// POST   /populate                         POST   /proxies/{proxy}/toxics/{toxic}   (or PATCH)
/// GET    /proxies/{proxy}                  DELETE /proxies/{proxy}/toxics/{toxic}
/// POST   /proxies/{proxy}   (or PATCH)     POST   /reset
/// DELETE /proxies/{proxy}                  GET    /metrics
/// ```
enum APIRoute: Sendable, Hashable {
    case version
    case listProxies
    case createProxy
    case populate
    case showProxy(String)
    case updateProxy(String)
    case deleteProxy(String)
    case listToxics(proxy: String)
    case createToxic(proxy: String)
    case showToxic(proxy: String, toxic: String)
    case updateToxic(proxy: String, toxic: String)
    case deleteToxic(proxy: String, toxic: String)
    case reset
    case metrics

    /// Finds the endpoint for a request the way gorilla mux does: the query is ignored, the path is
    /// percent-decoded before it is split, a trailing slash or an empty segment matches nothing, and a
    /// known path with the wrong method is told apart from an unknown path.
    /// - Parameters:
    ///   - method: The HTTP method, case-sensitive as in Go.
    ///   - target: The request target, possibly with `?query`.
    /// - Returns: The endpoint, or why there is none.
    static func match(method: String, target: String) -> APIRouteMatch {
        let rawPath = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let path = Self.percentDecoded(String(rawPath))
        guard path.hasPrefix("/") else { return .notFound }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !segments.contains(where: \.isEmpty) else { return .notFound }

        func pick(_ routes: [String: APIRoute]) -> APIRouteMatch {
            routes[method].map(APIRouteMatch.route) ?? .methodNotAllowed
        }
        switch segments.count {
        case 1:
            switch segments[0] {
            case "version": return pick(["GET": .version])
            case "proxies": return pick(["GET": .listProxies, "POST": .createProxy])
            case "populate": return pick(["POST": .populate])
            case "reset": return pick(["POST": .reset])
            case "metrics": return pick(["GET": .metrics])
            default: return .notFound
            }
        case 2 where segments[0] == "proxies":
            let proxy = segments[1]
            return pick([
                "GET": .showProxy(proxy), "POST": .updateProxy(proxy), "PATCH": .updateProxy(proxy),
                "DELETE": .deleteProxy(proxy),
            ])
        case 3 where segments[0] == "proxies" && segments[2] == "toxics":
            let proxy = segments[1]
            return pick(["GET": .listToxics(proxy: proxy), "POST": .createToxic(proxy: proxy)])
        case 4 where segments[0] == "proxies" && segments[2] == "toxics":
            let (proxy, toxic) = (segments[1], segments[3])
            return pick([
                "GET": .showToxic(proxy: proxy, toxic: toxic),
                "POST": .updateToxic(proxy: proxy, toxic: toxic),
                "PATCH": .updateToxic(proxy: proxy, toxic: toxic),
                "DELETE": .deleteToxic(proxy: proxy, toxic: toxic),
            ])
        default:
            return .notFound
        }
    }

    /// Decodes `%XX` escapes as UTF-8 (Go's `URL.Path`); a malformed escape is kept as written.
    static func percentDecoded(_ path: String) -> String {
        guard path.contains("%") else { return path }
        var bytes: [UInt8] = []
        let input = Array(path.utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "%"), index + 2 < input.count,
                let high = Self.hexValue(input[index + 1]), let low = Self.hexValue(input[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
