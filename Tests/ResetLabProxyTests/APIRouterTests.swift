import Testing

@testable import ResetLabProxy

@Suite struct APIRouterTests {
    struct RouteCase: Sendable, CustomTestStringConvertible {
        var method: String
        var path: String
        var expected: APIRouteMatch
        var testDescription: String { "\(self.method) \(self.path)" }
    }

    static let routeCases: [RouteCase] = [
        RouteCase(method: "GET", path: "/version", expected: .route(.version)),
        RouteCase(method: "GET", path: "/proxies", expected: .route(.listProxies)),
        RouteCase(method: "POST", path: "/proxies", expected: .route(.createProxy)),
        RouteCase(method: "POST", path: "/populate", expected: .route(.populate)),
        RouteCase(method: "GET", path: "/proxies/redis", expected: .route(.showProxy("redis"))),
        RouteCase(method: "POST", path: "/proxies/redis", expected: .route(.updateProxy("redis"))),
        RouteCase(method: "PATCH", path: "/proxies/redis", expected: .route(.updateProxy("redis"))),
        RouteCase(method: "DELETE", path: "/proxies/redis", expected: .route(.deleteProxy("redis"))),
        RouteCase(method: "GET", path: "/proxies/redis/toxics", expected: .route(.listToxics(proxy: "redis"))),
        RouteCase(method: "POST", path: "/proxies/redis/toxics", expected: .route(.createToxic(proxy: "redis"))),
        RouteCase(method: "GET", path: "/proxies/r/toxics/t", expected: .route(.showToxic(proxy: "r", toxic: "t"))),
        RouteCase(method: "POST", path: "/proxies/r/toxics/t", expected: .route(.updateToxic(proxy: "r", toxic: "t"))),
        RouteCase(method: "PATCH", path: "/proxies/r/toxics/t", expected: .route(.updateToxic(proxy: "r", toxic: "t"))),
        RouteCase(
            method: "DELETE",
            path: "/proxies/r/toxics/t",
            expected: .route(.deleteToxic(proxy: "r", toxic: "t"))
        ),
        RouteCase(method: "POST", path: "/reset", expected: .route(.reset)),
        RouteCase(method: "GET", path: "/metrics", expected: .route(.metrics)),
        // The query is ignored; escapes are decoded before the path is split.
        RouteCase(method: "GET", path: "/proxies?verbose=1", expected: .route(.listProxies)),
        RouteCase(method: "GET", path: "/proxies/my%20db", expected: .route(.showProxy("my db"))),
        RouteCase(method: "GET", path: "/proxies/a%2Fb", expected: .notFound),
        // Wrong methods on known paths.
        RouteCase(method: "POST", path: "/version", expected: .methodNotAllowed),
        RouteCase(method: "DELETE", path: "/proxies", expected: .methodNotAllowed),
        RouteCase(method: "GET", path: "/populate", expected: .methodNotAllowed),
        RouteCase(method: "GET", path: "/reset", expected: .methodNotAllowed),
        RouteCase(method: "PUT", path: "/proxies/redis", expected: .methodNotAllowed),
        RouteCase(method: "DELETE", path: "/proxies/redis/toxics", expected: .methodNotAllowed),
        RouteCase(method: "get", path: "/proxies", expected: .methodNotAllowed),
        RouteCase(method: "HEAD", path: "/version", expected: .methodNotAllowed),
        // Unknown paths, trailing slashes and empty segments.
        RouteCase(method: "GET", path: "/", expected: .notFound),
        RouteCase(method: "GET", path: "/nope", expected: .notFound),
        RouteCase(method: "GET", path: "/proxies/", expected: .notFound),
        RouteCase(method: "GET", path: "/proxies//toxics", expected: .notFound),
        RouteCase(method: "GET", path: "/proxies/r/toxics/t/extra", expected: .notFound),
        RouteCase(method: "GET", path: "/proxies/r/other", expected: .notFound),
        RouteCase(method: "GET", path: "proxies", expected: .notFound),
    ]

    @Test(arguments: Self.routeCases)
    func routeTable(_ routeCase: RouteCase) {
        #expect(APIRoute.match(method: routeCase.method, target: routeCase.path) == routeCase.expected)
    }

    @Test func unknownPathIsGoNotFoundPage() async {
        let harness = APIHarness()
        let response = await harness.send("GET", "/nothing/here")
        #expect(response.status == 404)
        #expect(response.contentType == "text/plain; charset=utf-8")
        #expect(response.bodyText == "404 page not found\n")
    }

    @Test func wrongMethodIsEmpty405() async {
        let harness = APIHarness()
        let response = await harness.send("PUT", "/proxies")
        #expect(response == APIResponse(status: 405, contentType: "", body: []))
    }

    @Test(arguments: [
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Mozilla/",
    ])
    func browsersAreRefused(_ agent: String) async {
        let harness = APIHarness()
        let response = await harness.send("POST", "/proxies", #"{"name":"a","upstream":"b:1"}"#, userAgent: agent)
        #expect(response.status == 403)
        #expect(response.contentType == "text/plain; charset=utf-8")
        #expect(response.bodyText == "User agent not allowed\n")
        #expect(await harness.calls.isEmpty)
        #expect(await harness.api.proxyStates.isEmpty)
    }

    @Test func otherAgentsAndNoAgentArePassed() async {
        let harness = APIHarness()
        for agent in ["curl/8.5.0", "Go-http-client/1.1", "mozilla/5.0", "Ruby", nil] {
            #expect(await harness.send("GET", "/proxies", userAgent: agent).status == 200)
        }
    }

    @Test func userAgentHeaderNameIsCaseInsensitive() async {
        let harness = APIHarness()
        let request = APIRequest(method: "GET", path: "/proxies", headers: [("user-agent", "Mozilla/5.0")])
        #expect(await harness.api.handle(request).status == 403)
    }

    @Test func browserOnUnknownPathStillGets404AsGorillaMuxRunsNoMiddlewareThere() async {
        let harness = APIHarness()
        #expect(await harness.send("GET", "/nope", userAgent: "Mozilla/5.0").status == 404)
        #expect(await harness.send("PUT", "/proxies", userAgent: "Mozilla/5.0").status == 405)
    }

    @Test func versionIsToxiproxysExactDocument() async {
        let harness = APIHarness()
        let response = await harness.send("GET", "/version")
        #expect(response.status == 200)
        #expect(response.contentType == "application/json;charset=utf-8")
        #expect(response.bodyText == "{\"version\": \"9.8.7\"}\n")
    }

    @Test func metricsAreTheBackendsText() async {
        let harness = APIHarness()
        let response = await harness.send("GET", "/metrics")
        #expect(response.status == 200)
        #expect(response.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.bodyText == "# HELP toxiproxy_proxy_sent_bytes_total Bytes sent\n")
    }

    @Test func concurrentRequestsAreHandledOneAtATime() async {
        let harness = APIHarness()
        async let first = harness.createProxy("same")
        async let second = harness.createProxy("same")
        let statuses = await [first.status, second.status].sorted()
        #expect(statuses == [201, 409])
        #expect(await harness.calls.count == 1)
    }
}
