import Testing

@testable import ResetLabProxy

@Suite struct APIToxicTests {
    private let harness = APIHarness()

    private func proxy() async {
        await self.harness.createProxy("redis")
        await self.harness.backend.clearCalls()
    }

    @Test func createAnswers200WithToxiproxysShapeAndDefaults() async {
        await self.proxy()
        let response = await self.harness.addToxic("redis", #"{"type":"latency","attributes":{"latency":1000}}"#)
        #expect(response.status == 200)
        #expect(response.contentType == "application/json")
        #expect(
            response.bodyText
                == #"{"attributes":{"latency":1000,"jitter":0},"name":"latency_downstream","type":"latency","#
                + #""stream":"downstream","toxicity":1}"#
        )
        #expect(await self.harness.calls == [.update("redis", toxics: ["latency_downstream"])])
    }

    @Test func everyKindPrintsAllItsAttributesInOrder() async {
        await self.proxy()
        let slicer = await self.harness.addToxic("redis", #"{"type":"slicer","stream":"upstream","toxicity":0.25}"#)
        #expect(
            slicer.bodyText
                == #"{"attributes":{"average_size":1,"size_variation":0,"delay":0},"name":"slicer_upstream","#
                + #""type":"slicer","stream":"upstream","toxicity":0.25}"#
        )
        for kind in ToxicKind.allCases {
            let body = #"{"type":"\#(kind.rawValue)","name":"k\#(kind.rawValue)"}"#
            let response = await self.harness.addToxic("redis", body)
            #expect(response.status == 200, "\(kind)")
            let names = kind.attributes.map { #""\#($0.name)":\#($0.defaultValue)"# }.joined(separator: ",")
            #expect(response.bodyText.hasPrefix(#"{"attributes":{\#(names)},"name":"k\#(kind.rawValue)""#), "\(kind)")
        }
    }

    @Test func explicitNameAndLenientSpellingsAreAccepted() async {
        await self.proxy()
        let body = #"{"name":"slow","type":"bandwidth","stream":"UPSTREAM","toxicity":0,"attributes":{"rate":1.0e2}}"#
        let response = await self.harness.addToxic("redis", body)
        #expect(
            response.bodyText
                == #"{"attributes":{"rate":100},"name":"slow","type":"bandwidth","stream":"upstream","toxicity":0}"#
        )
        let empty = await self.harness.addToxic("redis", #"{"name":"","type":"noop","stream":"","attributes":null}"#)
        #expect(empty.bodyText.contains(#""name":"noop_downstream""#))
    }

    @Test func duplicateNameIs409EvenAcrossStreams() async {
        await self.proxy()
        await self.harness.addToxic("redis", #"{"name":"t","type":"latency"}"#)
        let response = await self.harness.addToxic("redis", #"{"name":"t","type":"timeout","stream":"upstream"}"#)
        #expect(response.status == 409)
        #expect(response.bodyText == APIHarness.errorBody("toxic already exists", 409))
        #expect(await self.harness.calls.count == 1)
    }

    @Test func unknownProxyIs404() async {
        let response = await self.harness.addToxic("nope", #"{"type":"latency"}"#)
        #expect(response.status == 404)
        #expect(response.bodyText == APIHarness.errorBody("proxy not found", 404))
        #expect(await self.harness.send("GET", "/proxies/nope/toxics").status == 404)
        #expect(await self.harness.send("GET", "/proxies/nope/toxics/t").bodyText.contains("proxy not found"))
    }

    @Test func listShowsTheUpstreamChainThenTheDownstreamChain() async {
        await self.proxy()
        await self.harness.addToxic("redis", #"{"name":"a","type":"noop"}"#)
        await self.harness.addToxic("redis", #"{"name":"b","type":"noop","stream":"upstream"}"#)
        await self.harness.addToxic("redis", #"{"name":"c","type":"noop"}"#)
        await self.harness.addToxic("redis", #"{"name":"d","type":"noop","stream":"upstream"}"#)
        let response = await self.harness.send("GET", "/proxies/redis/toxics")
        #expect(response.status == 200)
        let names = ["b", "d", "a", "c"].map { name in
            let stream = name == "b" || name == "d" ? "upstream" : "downstream"
            return #"{"attributes":{},"name":"\#(name)","type":"noop","stream":"\#(stream)","toxicity":1}"#
        }
        #expect(response.bodyText == "[" + names.joined(separator: ",") + "]")
        #expect(await self.harness.calls.last == .update("redis", toxics: ["b", "d", "a", "c"]))
        let state = await self.harness.api.proxyStates[0]
        #expect(state.chain(.upstream).map(\.name) == ["b", "d"])
        #expect(state.chain(.downstream).map(\.name) == ["a", "c"])
    }

    @Test func emptyListIsAnEmptyArray() async {
        await self.proxy()
        #expect(await self.harness.send("GET", "/proxies/redis/toxics").bodyText == "[]")
    }

    @Test func showReturnsOneToxicOr404() async {
        await self.proxy()
        await self.harness.addToxic("redis", #"{"type":"timeout","attributes":{"timeout":500}}"#)
        let response = await self.harness.send("GET", "/proxies/redis/toxics/timeout_downstream")
        #expect(
            response.bodyText
                == #"{"attributes":{"timeout":500},"name":"timeout_downstream","type":"timeout","#
                + #""stream":"downstream","toxicity":1}"#
        )
        let missing = await self.harness.send("GET", "/proxies/redis/toxics/nope")
        #expect(missing.status == 404)
        #expect(missing.bodyText == APIHarness.errorBody("toxic not found", 404))
    }

    @Test(arguments: ["PATCH", "POST"])
    func updateMergesAttributesAndKeepsToxicity(_ method: String) async {
        await self.proxy()
        let body = #"{"type":"latency","toxicity":0.3,"attributes":{"latency":100,"jitter":10}}"#
        await self.harness.addToxic("redis", body)
        let path = "/proxies/redis/toxics/latency_downstream"
        let first = await self.harness.send(method, path, #"{"attributes":{"jitter":20}}"#)
        #expect(first.status == 200)
        #expect(
            first.bodyText
                == #"{"attributes":{"latency":100,"jitter":20},"name":"latency_downstream","type":"latency","#
                + #""stream":"downstream","toxicity":0.3}"#
        )
        let second = await self.harness.send(method, path, #"{"toxicity":0.75}"#)
        #expect(second.bodyText.contains(#"{"attributes":{"latency":100,"jitter":20}"#))
        #expect(second.bodyText.hasSuffix(#""toxicity":0.75}"#))
        #expect(await self.harness.calls.count == 3)
        let installed = await self.harness.backend.installed["redis"]
        #expect(installed?.first?.toxicity == 0.75)
        #expect(installed?.first?.value("jitter") == 20)
    }

    @Test func updateAcceptsAnEchoOfTheWholeDocument() async {
        await self.proxy()
        await self.harness.addToxic("redis", #"{"type":"latency","stream":"upstream"}"#)
        let body = #"{"attributes":{"latency":5,"jitter":0},"name":"latency_upstream","type":"latency","#
            + #""stream":"upstream","toxicity":1}"#
        let response = await self.harness.send("PATCH", "/proxies/redis/toxics/latency_upstream", body)
        #expect(response.status == 200)
        #expect(response.bodyText.hasPrefix(#"{"attributes":{"latency":5,"jitter":0}"#))
    }

    @Test func updateOfAMissingToxicIs404BeforeTheBodyIsRead() async {
        await self.proxy()
        let response = await self.harness.send("PATCH", "/proxies/redis/toxics/nope", "garbage")
        #expect(response.status == 404)
        #expect(response.bodyText == APIHarness.errorBody("toxic not found", 404))
    }

    @Test func deleteRemovesAndTellsTheBackend() async {
        await self.proxy()
        await self.harness.addToxic("redis", #"{"type":"latency"}"#)
        await self.harness.addToxic("redis", #"{"type":"timeout"}"#)
        let response = await self.harness.send("DELETE", "/proxies/redis/toxics/latency_downstream")
        #expect(response == APIResponse(status: 204, contentType: "", body: []))
        #expect(await self.harness.calls.last == .update("redis", toxics: ["timeout_downstream"]))
        let again = await self.harness.send("DELETE", "/proxies/redis/toxics/latency_downstream")
        #expect(again.status == 404)
        #expect(again.bodyText == APIHarness.errorBody("toxic not found", 404))
        #expect(await self.harness.send("DELETE", "/proxies/nope/toxics/x").bodyText.contains("proxy not found"))
    }

    @Test func aStoppedProxysToxicsReachTheBackendAtItsNextStart() async {
        await self.harness.createProxy("off", listen: "127.0.0.1:7100", extra: #","enabled":false"#)
        #expect(await self.harness.addToxic("off", #"{"type":"latency"}"#).status == 200)
        let path = "/proxies/off/toxics/latency_downstream"
        #expect(await self.harness.send("PATCH", path, #"{"toxicity":0.5}"#).status == 200)
        #expect(await self.harness.calls.isEmpty)
        await self.harness.send("PATCH", "/proxies/off", #"{"enabled":true}"#)
        #expect(
            await self.harness.calls == [
                .start("off", listen: "127.0.0.1:7100", upstream: "127.0.0.1:6379", toxics: ["latency_downstream"])
            ]
        )
        #expect(await self.harness.backend.installed["off"]?.first?.toxicity == 0.5)
    }
}
