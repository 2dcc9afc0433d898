import Testing

@testable import ResetLabProxy

@Suite struct APIProxyTests {
    private let harness = APIHarness()

    @Test func createAnswers201WithTheResolvedAddress() async {
        let response = await self.harness.createProxy("redis")
        #expect(response.status == 201)
        #expect(response.contentType == "application/json")
        #expect(
            response.bodyText
                == #"{"name":"redis","listen":"127.0.0.1:40001","upstream":"127.0.0.1:6379","enabled":true,"#
                + #""toxics":[]}"#
        )
        #expect(
            await self.harness.calls == [.start("redis", listen: "127.0.0.1:0", upstream: "127.0.0.1:6379", toxics: [])]
        )
    }

    @Test func omittedOrEmptyListenMeansLoopbackAnyPort() async {
        await self.harness.send("POST", "/proxies", #"{"name":"a","upstream":"u:1"}"#)
        await self.harness.send("POST", "/proxies", #"{"name":"b","upstream":"u:1","listen":""}"#)
        #expect(
            await self.harness.calls == [
                .start("a", listen: "127.0.0.1:0", upstream: "u:1", toxics: []),
                .start("b", listen: "127.0.0.1:0", upstream: "u:1", toxics: []),
            ]
        )
        #expect(await self.harness.api.proxyStates.map(\.definition.listen) == ["127.0.0.1:40001", "127.0.0.1:40002"])
    }

    @Test func createDisabledDoesNotListen() async {
        let response = await self.harness.send(
            "POST",
            "/proxies",
            #"{"name":"off","listen":"127.0.0.1:7000","upstream":"u:1","enabled":false}"#
        )
        #expect(response.status == 201)
        #expect(
            response.bodyText
                == #"{"name":"off","listen":"127.0.0.1:7000","upstream":"u:1","enabled":false,"toxics":[]}"#
        )
        #expect(await self.harness.calls.isEmpty)
    }

    @Test func goClientBodyWithNullToxicsIsAccepted() async {
        let body = #"{"name":"go","listen":"127.0.0.1:0","upstream":"u:1","enabled":true,"toxics":null}"#
        #expect(await self.harness.send("POST", "/proxies", body).status == 201)
    }

    @Test func createWithToxicsInstallsThemAtStart() async {
        let response = await self.harness.createProxy(
            "db",
            extra: #","toxics":[{"type":"latency","attributes":{"latency":50}},{"type":"timeout","stream":"upstream"}]"#
        )
        #expect(response.status == 201)
        #expect(response.bodyText.contains(#""toxics":[{"attributes":{"timeout":0},"name":"timeout_upstream""#))
        #expect(
            await self.harness.calls == [
                .start(
                    "db",
                    listen: "127.0.0.1:0",
                    upstream: "127.0.0.1:6379",
                    toxics: ["timeout_upstream", "latency_downstream"]
                )
            ]
        )
    }

    @Test func duplicateNameIs409() async {
        await self.harness.createProxy("redis")
        let response = await self.harness.createProxy("redis", upstream: "elsewhere:1")
        #expect(response.status == 409)
        #expect(response.contentType == "text/plain; charset=utf-8")
        #expect(response.bodyText == APIHarness.errorBody("proxy already exists", 409))
        #expect(await self.harness.calls.count == 1)
    }

    @Test func listenErrorIs500AndCreatesNothing() async {
        let message = "listen tcp 127.0.0.1:8080: bind: address already in use"
        await self.harness.backend.failListen(on: "127.0.0.1:8080", message: message)
        let response = await self.harness.createProxy("web", listen: "127.0.0.1:8080")
        #expect(response.status == 500)
        #expect(response.bodyText == APIHarness.errorBody(message, 500))
        #expect(await self.harness.send("GET", "/proxies/web").status == 404)
    }

    @Test func anAddressInUseIs409AndCreatesNothing() async {
        await self.harness.backend.occupy("127.0.0.1:8081")
        let response = await self.harness.createProxy("web", listen: "127.0.0.1:8081")
        #expect(response.status == 409)
        #expect(response.bodyText == APIHarness.errorBody("listen tcp 127.0.0.1:8081: bind: address already in use", 409))
        #expect(await self.harness.send("GET", "/proxies/web").status == 404)
    }

    @Test func listIsAnObjectKeyedByNameInCreationOrder() async {
        await self.harness.createProxy("zeta")
        await self.harness.createProxy("alpha", listen: "127.0.0.1:9000", upstream: "db:5432")
        let response = await self.harness.send("GET", "/proxies")
        #expect(response.status == 200)
        #expect(response.contentType == "application/json")
        #expect(
            response.bodyText
                == #"{"zeta":{"name":"zeta","listen":"127.0.0.1:40001","upstream":"127.0.0.1:6379","enabled":true,"#
                + #""toxics":[]},"alpha":{"name":"alpha","listen":"127.0.0.1:9000","upstream":"db:5432","#
                + #""enabled":true,"toxics":[]}}"#
        )
        #expect(await APIHarness().send("GET", "/proxies").bodyText == "{}")
    }

    @Test func showReturnsTheProxyWithItsToxics() async {
        await self.harness.createProxy("redis")
        await self.harness.addToxic("redis", #"{"type":"noop"}"#)
        let response = await self.harness.send("GET", "/proxies/redis")
        #expect(response.status == 200)
        #expect(
            response.bodyText
                == #"{"name":"redis","listen":"127.0.0.1:40001","upstream":"127.0.0.1:6379","enabled":true,"#
                + #""toxics":[{"attributes":{},"name":"noop_downstream","type":"noop","stream":"downstream","#
                + #""toxicity":1}]}"#
        )
        let missing = await self.harness.send("GET", "/proxies/nope")
        #expect(missing.status == 404)
        #expect(missing.bodyText == APIHarness.errorBody("proxy not found", 404))
    }

    @Test(arguments: ["PATCH", "POST"])
    func disablingStopsAndEnablingStartsOnTheSamePort(_ method: String) async {
        await self.harness.createProxy("redis")
        await self.harness.addToxic("redis", #"{"type":"latency"}"#)
        await self.harness.backend.clearCalls()

        let off = await self.harness.send(method, "/proxies/redis", #"{"enabled":false}"#)
        #expect(off.status == 200)
        #expect(off.bodyText.contains(#""listen":"127.0.0.1:40001","upstream":"127.0.0.1:6379","enabled":false"#))
        let on = await self.harness.send(method, "/proxies/redis", #"{"enabled":true}"#)
        #expect(on.status == 200)
        #expect(on.bodyText.contains(#""enabled":true"#))
        #expect(
            await self.harness.calls == [
                .stop("redis"),
                .start("redis", listen: "127.0.0.1:40001", upstream: "127.0.0.1:6379", toxics: ["latency_downstream"]),
            ]
        )
        // The same state again changes nothing.
        await self.harness.backend.clearCalls()
        #expect(await self.harness.send(method, "/proxies/redis", #"{"enabled":true}"#).status == 200)
        #expect(await self.harness.calls.isEmpty)
    }

    @Test func newAddressRestartsTheProxy() async {
        await self.harness.createProxy("redis")
        await self.harness.backend.clearCalls()
        let response = await self.harness.send("PATCH", "/proxies/redis", #"{"listen":"127.0.0.1:7001"}"#)
        #expect(response.bodyText.contains(#""listen":"127.0.0.1:7001","upstream":"127.0.0.1:6379","enabled":true"#))
        let upstream = await self.harness.send("PATCH", "/proxies/redis", #"{"upstream":"127.0.0.1:6380"}"#)
        #expect(upstream.bodyText.contains(#""listen":"127.0.0.1:7001","upstream":"127.0.0.1:6380","enabled":true"#))
        #expect(
            await self.harness.calls == [
                .stop("redis"), .start("redis", listen: "127.0.0.1:7001", upstream: "127.0.0.1:6379", toxics: []),
                .stop("redis"), .start("redis", listen: "127.0.0.1:7001", upstream: "127.0.0.1:6380", toxics: []),
            ]
        )
    }

    @Test func newAddressOnADisabledProxyOnlyRecordsIt() async {
        await self.harness.createProxy("redis", extra: #","enabled":false"#)
        let response = await self.harness.send("PATCH", "/proxies/redis", #"{"listen":"127.0.0.1:7001"}"#)
        #expect(response.bodyText.contains(#""listen":"127.0.0.1:7001","upstream":"127.0.0.1:6379","enabled":false"#))
        #expect(await self.harness.calls.isEmpty)
    }

    @Test func restartListenErrorIs500AndLeavesTheProxyDisabledWithItsNewAddress() async {
        await self.harness.createProxy("redis")
        let denied = "listen tcp 127.0.0.1:80: bind: permission denied"
        await self.harness.backend.failListen(on: "127.0.0.1:80", message: denied)
        let response = await self.harness.send("PATCH", "/proxies/redis", #"{"listen":"127.0.0.1:80"}"#)
        #expect(response.status == 500)
        #expect(response.bodyText == APIHarness.errorBody(denied, 500))
        let shown = await self.harness.send("GET", "/proxies/redis")
        #expect(shown.bodyText.contains(#""listen":"127.0.0.1:80","upstream":"127.0.0.1:6379","enabled":false"#))
    }

    @Test func updateIgnoresEchoedToxicsAndAcceptsTheSameName() async {
        await self.harness.createProxy("redis")
        await self.harness.addToxic("redis", #"{"type":"latency"}"#)
        let body = #"{"name":"redis","listen":"127.0.0.1:40001","upstream":"127.0.0.1:6379","enabled":true,"#
            + #""toxics":[]}"#
        let response = await self.harness.send("POST", "/proxies/redis", body)
        #expect(response.status == 200)
        #expect(response.bodyText.contains(#""name":"latency_downstream""#))
    }

    @Test func updateCannotRename() async {
        await self.harness.createProxy("redis")
        let response = await self.harness.send("PATCH", "/proxies/redis", #"{"name":"cache"}"#)
        #expect(response.status == 400)
        #expect(
            response.bodyText
                == APIHarness.errorBody(
                    #"bad request body: a proxy cannot be renamed ("redis"); delete it and create a new one"#,
                    400
                )
        )
    }

    @Test func updateOfAMissingProxyIs404BeforeTheBodyIsRead() async {
        let response = await self.harness.send("PATCH", "/proxies/nope", "not json")
        #expect(response.status == 404)
        #expect(response.bodyText == APIHarness.errorBody("proxy not found", 404))
    }

    @Test func deleteStopsAndForgets() async {
        await self.harness.createProxy("redis")
        await self.harness.createProxy("off", extra: #","enabled":false"#)
        await self.harness.backend.clearCalls()
        let response = await self.harness.send("DELETE", "/proxies/redis")
        #expect(response == APIResponse(status: 204, contentType: "", body: []))
        #expect(await self.harness.send("DELETE", "/proxies/off").status == 204)
        #expect(await self.harness.calls == [.stop("redis")])
        let again = await self.harness.send("DELETE", "/proxies/redis")
        #expect(again.status == 404)
        #expect(again.bodyText == APIHarness.errorBody("proxy not found", 404))
        #expect(await self.harness.send("GET", "/proxies").bodyText == "{}")
        // The name is free again.
        #expect(await self.harness.createProxy("redis").status == 201)
    }
}
