import Testing

@testable import ResetLabProxy

@Suite struct APIPopulateTests {
    private let harness = APIHarness()

    private func populate(_ body: String) async -> APIResponse {
        await self.harness.send("POST", "/populate", body)
    }

    @Test func createsEveryEntryAndAnswers201WithTheList() async {
        let response = await self.populate(
            #"[{"name":"a","listen":"127.0.0.1:7001","upstream":"u:1"},{"name":"b","upstream":"u:2","enabled":false}]"#
        )
        #expect(response.status == 201)
        #expect(response.contentType == "application/json")
        #expect(
            response.bodyText
                == #"{"proxies":[{"name":"a","listen":"127.0.0.1:7001","upstream":"u:1","enabled":true,"toxics":[]},"#
                + #"{"name":"b","listen":"127.0.0.1:0","upstream":"u:2","enabled":false,"toxics":[]}]}"#
        )
        #expect(await self.harness.calls == [.start("a", listen: "127.0.0.1:7001", upstream: "u:1", toxics: [])])
    }

    @Test func emptyArrayIsAnEmptyList() async {
        let response = await self.populate("[]")
        #expect(response.status == 201)
        #expect(response.bodyText == #"{"proxies":[]}"#)
    }

    @Test func identicalEntryIsKeptWithItsListenerAndToxics() async {
        await self.harness.createProxy("a", listen: "127.0.0.1:7001", upstream: "u:1")
        await self.harness.addToxic("a", #"{"type":"latency"}"#)
        await self.harness.backend.clearCalls()
        let response = await self.populate(#"[{"name":"a","listen":"127.0.0.1:7001","upstream":"u:1"}]"#)
        #expect(response.status == 201)
        let toxic = #""toxics":[{"attributes":{"latency":0,"jitter":0},"name":"latency_downstream""#
        #expect(response.bodyText.contains(toxic))
        #expect(await self.harness.calls.isEmpty)
    }

    @Test func differingEntryIsStoppedAndReplaced() async {
        await self.harness.createProxy("a", listen: "127.0.0.1:7001", upstream: "u:1")
        await self.harness.createProxy("b", listen: "127.0.0.1:7002", upstream: "u:2")
        await self.harness.addToxic("a", #"{"type":"latency"}"#)
        await self.harness.backend.clearCalls()
        let response = await self.populate(#"[{"name":"a","listen":"127.0.0.1:7001","upstream":"u:9"}]"#)
        #expect(response.status == 201)
        #expect(
            response.bodyText
                == #"{"proxies":[{"name":"a","listen":"127.0.0.1:7001","upstream":"u:9","enabled":true,"toxics":[]}]}"#
        )
        #expect(
            await self.harness.calls == [.stop("a"), .start("a", listen: "127.0.0.1:7001", upstream: "u:9", toxics: [])]
        )
        // Proxies not named are left alone, and the replaced one keeps its place.
        #expect(await self.harness.api.proxyStates.map(\.name) == ["a", "b"])
    }

    @Test func entriesMayCarryToxics() async {
        let body = #"[{"name":"db","listen":"127.0.0.1:7003","upstream":"u:3","toxics":["#
            + #"{"type":"reset_peer","attributes":{"timeout":500}},"#
            + #"{"name":"up","type":"latency","stream":"upstream"}]}]"#
        let response = await self.populate(body)
        #expect(response.status == 201)
        #expect(
            await self.harness.calls == [
                .start("db", listen: "127.0.0.1:7003", upstream: "u:3", toxics: ["up", "reset_peer_downstream"])
            ]
        )
        let shown = await self.harness.send("GET", "/proxies/db/toxics/reset_peer_downstream")
        #expect(shown.bodyText.hasPrefix(#"{"attributes":{"timeout":500}"#))
    }

    @Test func keptEntryWithToxicsReplacesThemLive() async {
        await self.harness.createProxy("a", listen: "127.0.0.1:7001", upstream: "u:1")
        await self.harness.addToxic("a", #"{"type":"latency"}"#)
        await self.harness.backend.clearCalls()
        let body = #"[{"name":"a","listen":"127.0.0.1:7001","upstream":"u:1","toxics":[{"type":"timeout"}]}]"#
        #expect(await self.populate(body).status == 201)
        #expect(await self.harness.calls == [.update("a", toxics: ["timeout_downstream"])])
        // The same document again changes nothing.
        await self.harness.backend.clearCalls()
        #expect(await self.populate(body).status == 201)
        #expect(await self.harness.calls.isEmpty)
        // An empty list removes them.
        let none = #"[{"name":"a","listen":"127.0.0.1:7001","upstream":"u:1","toxics":[]}]"#
        #expect(await self.populate(none).status == 201)
        #expect(await self.harness.calls == [.update("a", toxics: [])])
    }

    @Test func keptEntryFollowsEnabled() async {
        await self.harness.createProxy("a", listen: "127.0.0.1:7001", upstream: "u:1")
        await self.harness.backend.clearCalls()
        let off = await self.populate(#"[{"name":"a","listen":"127.0.0.1:7001","upstream":"u:1","enabled":false}]"#)
        #expect(off.bodyText.contains(#""enabled":false"#))
        let on = await self.populate(#"[{"name":"a","listen":"127.0.0.1:7001","upstream":"u:1"}]"#)
        #expect(on.bodyText.contains(#""enabled":true"#))
        #expect(
            await self.harness.calls == [.stop("a"), .start("a", listen: "127.0.0.1:7001", upstream: "u:1", toxics: [])]
        )
    }

    @Test func listenErrorStopsTheRunKeepingWhatWasDone() async {
        let message = "listen tcp 127.0.0.1:7002: bind: address already in use"
        await self.harness.backend.failListen(on: "127.0.0.1:7002", message: message)
        let body = #"[{"name":"a","listen":"127.0.0.1:7001","upstream":"u:1"},"#
            + #"{"name":"b","listen":"127.0.0.1:7002","upstream":"u:2"},"#
            + #"{"name":"c","listen":"127.0.0.1:7003","upstream":"u:3"}]"#
        let response = await self.populate(body)
        #expect(response.status == 500)
        #expect(response.contentType == "application/json")
        #expect(
            response.bodyText
                == #"{"error":"\#(message)","status":500,"proxies":[{"name":"a","listen":"127.0.0.1:7001","#
                + #""upstream":"u:1","enabled":true,"toxics":[]}]}"#
        )
        #expect(await self.harness.api.proxyStates.map(\.name) == ["a"])
    }

    @Test func failedReplacementLeavesTheOldProxyStopped() async {
        await self.harness.createProxy("a", listen: "127.0.0.1:7001", upstream: "u:1")
        await self.harness.backend.failListen(on: "127.0.0.1:7009", message: "listen tcp 127.0.0.1:7009: bind: nope")
        let response = await self.populate(#"[{"name":"a","listen":"127.0.0.1:7009","upstream":"u:1"}]"#)
        #expect(response.status == 500)
        #expect(response.bodyText.hasSuffix(#""proxies":[]}"#))
        let state = await self.harness.api.proxyStates
        let stopped = ProxyDefinition(name: "a", listen: "127.0.0.1:7001", upstream: "u:1", enabled: false)
        #expect(state.map(\.definition) == [stopped])
    }

    struct BadDocument: Sendable, CustomTestStringConvertible {
        var body: String
        var message: String
        var testDescription: String { self.body }
    }

    static let badDocuments: [BadDocument] = [
        BadDocument(body: "{", message: "bad request body: not valid JSON"),
        BadDocument(
            body: #"{"name":"a","upstream":"u:1"}"#,
            message: "bad request body: expected a JSON array of proxies"
        ),
        BadDocument(
            body: #"[{"name":"a","upstream":"u:1"},{"upstream":"u:2"}]"#,
            message: "missing required field: name at proxy 2"
        ),
        BadDocument(body: #"[{"name":"a"}]"#, message: "missing required field: upstream at proxy 1"),
        BadDocument(
            body: #"[{"name":"a","upstream":"u:1"},5]"#,
            message: "bad request body: a proxy must be a JSON object, got 5 at proxy 2"
        ),
        BadDocument(
            body: #"[{"name":"a","upstream":"u:1"},{"name":"a","upstream":"u:2"}]"#,
            message: #"bad request body: two proxies are named "a" at proxy 2"#
        ),
        BadDocument(
            body: #"[{"name":"a","upstream":"u:1","toxics":[{"type":"latency"},"#
                + #"{"type":"latency","attributes":{"latency":-1}}]}]"#,
            message: #"bad request body: attribute "latency" must be at least 0, got -1 at proxy 1, toxic 2"#
        ),
    ]

    @Test(arguments: Self.badDocuments)
    func badDocumentsChangeNothing(_ bad: BadDocument) async {
        let response = await self.populate(bad.body)
        #expect(response.status == 400)
        #expect(response.contentType == "application/json")
        let escaped = String(bad.message.flatMap { $0 == "\"" ? ["\\", "\""] : [$0] })
        #expect(response.bodyText == #"{"error":"\#(escaped)","status":400,"proxies":null}"#)
        #expect(await self.harness.calls.isEmpty)
        #expect(await self.harness.api.proxyStates.isEmpty)
    }

    @Test func configFileUsesTheSameDocument() async throws {
        let file = #"""
            [
              {"name": "redis", "listen": "127.0.0.1:26379", "upstream": "127.0.0.1:6379",
               "toxics": [{"type": "latency", "attributes": {"latency": 250, "jitter": 50}}]},
              {"name": "ftp", "upstream": "127.0.0.1:21", "enabled": false}
            ]
            """#
        let states = try await self.harness.api.populate(fromConfigFile: Array(file.utf8))
        #expect(
            states.map(\.definition) == [
                ProxyDefinition(name: "redis", listen: "127.0.0.1:26379", upstream: "127.0.0.1:6379"),
                ProxyDefinition(name: "ftp", upstream: "127.0.0.1:21", enabled: false),
            ]
        )
        #expect(states[0].toxics.map(\.name) == ["latency_downstream"])
        #expect(states[0].toxics[0].value("jitter") == 50)
        #expect(await self.harness.api.proxyStates == states)
        #expect(
            await self.harness.calls == [
                .start("redis", listen: "127.0.0.1:26379", upstream: "127.0.0.1:6379", toxics: ["latency_downstream"])
            ]
        )
    }

    @Test func configFileErrorsAreThrownWithTheEntry() async {
        await #expect(throws: APIError.missingField("upstream").located("proxy 1")) {
            try await self.harness.api.populate(fromConfigFile: Array(#"[{"name":"x"}]"#.utf8))
        }
        await #expect(throws: APIError.badRequestBody("not valid JSON")) {
            try await self.harness.api.populate(fromConfigFile: Array("# not json".utf8))
        }
        let denied = "listen tcp 127.0.0.1:1: bind: permission denied"
        await self.harness.backend.failListen(on: "127.0.0.1:1", message: denied)
        let file = #"[{"name":"x","listen":"127.0.0.1:1","upstream":"u:1"}]"#
        await #expect(throws: APIError.backend(denied)) {
            try await self.harness.api.populate(fromConfigFile: Array(file.utf8))
        }
        let located = APIError.missingField("upstream").located("proxy 1")
        #expect(located.message == "missing required field: upstream at proxy 1")
    }
}
