import Testing

@testable import ResetLabProxy

/// Bad bodies: each gets a 400 in Toxiproxy's error shape, changes nothing and reaches no backend.
@Suite struct APIValidationTests {
    struct BadBody: Sendable, CustomTestStringConvertible {
        var body: String
        var message: String
        var testDescription: String { self.body.isEmpty ? "(empty)" : self.body }
    }

    static let badProxies: [BadBody] = [
        BadBody(body: "", message: "bad request body: the body is empty; send a JSON document"),
        BadBody(body: " \n", message: "bad request body: the body is empty; send a JSON document"),
        BadBody(body: "{", message: "bad request body: not valid JSON"),
        BadBody(body: #"{"name":"a","upstream":"b:1"} trailing"#, message: "bad request body: not valid JSON"),
        BadBody(body: "[]", message: "bad request body: a proxy must be a JSON object, got an array"),
        BadBody(body: #""redis""#, message: #"bad request body: a proxy must be a JSON object, got "redis""#),
        BadBody(body: #"{"upstream":"b:1"}"#, message: "missing required field: name"),
        BadBody(body: #"{"name":"","upstream":"b:1"}"#, message: "missing required field: name"),
        BadBody(body: #"{"name":"a"}"#, message: "missing required field: upstream"),
        BadBody(body: #"{"name":"a","upstream":""}"#, message: "missing required field: upstream"),
        BadBody(
            body: #"{"name":"a/b","upstream":"b:1"}"#,
            message: #"bad request body: proxy name "a/b" must not contain "/""#
        ),
        BadBody(
            body: #"{"name":"a","upstream":"b:1","Listen":"x"}"#,
            message: #"bad request body: unknown field "Listen"; a proxy takes name, listen, upstream, enabled, toxics"#
        ),
        BadBody(body: #"{"name":5,"upstream":"b:1"}"#, message: #"bad request body: "name" must be a string, got 5"#),
        BadBody(
            body: #"{"name":"a","upstream":["b"]}"#,
            message: #"bad request body: "upstream" must be a string, got an array"#
        ),
        BadBody(
            body: #"{"name":"a","upstream":"b:1","listen":1}"#,
            message: #"bad request body: "listen" must be a string, got 1"#
        ),
        BadBody(
            body: #"{"name":"a","upstream":"b:1","enabled":"yes"}"#,
            message: #"bad request body: "enabled" must be true or false, got "yes""#
        ),
        BadBody(
            body: #"{"name":"a","upstream":"b:1","enabled":1}"#,
            message: #"bad request body: "enabled" must be true or false, got 1"#
        ),
        BadBody(
            body: #"{"name":"a","upstream":"b:1","toxics":{}}"#,
            message: #"bad request body: "toxics" must be an array of toxics, got an object"#
        ),
        BadBody(
            body: #"{"name":"a","upstream":"b:1","toxics":[{"type":"noop"},{"type":"lag"}]}"#,
            message: "invalid toxic type: lag at toxic 2"
        ),
        BadBody(
            body: #"{"name":"a","upstream":"b:1","toxics":[{"type":"noop"},{"type":"noop"}]}"#,
            message: #"bad request body: two toxics are named "noop_downstream" at toxic 2"#
        ),
    ]

    @Test(arguments: Self.badProxies)
    func badProxyBodies(_ bad: BadBody) async {
        let harness = APIHarness()
        let response = await harness.send("POST", "/proxies", bad.body)
        #expect(response.status == 400)
        #expect(response.contentType == "text/plain; charset=utf-8")
        #expect(response.bodyText == APIHarness.errorBody(bad.message, 400))
        #expect(await harness.calls.isEmpty)
        #expect(await harness.api.proxyStates.isEmpty)
    }

    static let badToxics: [BadBody] = [
        BadBody(body: "", message: "bad request body: the body is empty; send a JSON document"),
        BadBody(body: "{type: latency}", message: "bad request body: not valid JSON"),
        BadBody(body: "[]", message: "bad request body: a toxic must be a JSON object, got an array"),
        BadBody(body: "{}", message: "missing required field: type"),
        BadBody(body: #"{"type":""}"#, message: "missing required field: type"),
        BadBody(body: #"{"type":"packet_loss"}"#, message: "invalid toxic type: packet_loss"),
        BadBody(body: #"{"type":"Latency"}"#, message: "invalid toxic type: Latency"),
        BadBody(body: #"{"type":7}"#, message: #"bad request body: "type" must be a string, got 7"#),
        BadBody(
            body: #"{"type":"latency","stream":"sideways"}"#,
            message: "stream was invalid, can be either upstream or downstream"
        ),
        BadBody(
            body: #"{"type":"latency","stream":"both"}"#,
            message: "stream was invalid, can be either upstream or downstream"
        ),
        BadBody(
            body: #"{"type":"latency","stream":1}"#,
            message: #"bad request body: "stream" must be a string, got 1"#
        ),
        BadBody(
            body: #"{"type":"latency","toxicity":7}"#,
            message: #"bad request body: "toxicity" must be a number from 0 to 1, got 7"#
        ),
        BadBody(
            body: #"{"type":"latency","toxicity":-0.1}"#,
            message: #"bad request body: "toxicity" must be a number from 0 to 1, got -0.1"#
        ),
        BadBody(
            body: #"{"type":"latency","toxicity":1.0001}"#,
            message: #"bad request body: "toxicity" must be a number from 0 to 1, got 1.0001"#
        ),
        BadBody(
            body: #"{"type":"latency","toxicity":"0.5"}"#,
            message: #"bad request body: "toxicity" must be a number from 0 to 1, got "0.5""#
        ),
        BadBody(
            body: #"{"type":"latency","toxicity":true}"#,
            message: #"bad request body: "toxicity" must be a number from 0 to 1, got true"#
        ),
        BadBody(
            body: #"{"type":"latency","direction":"upstream"}"#,
            message: #"bad request body: unknown field "direction"; "#
                + "a toxic takes name, type, stream, toxicity, attributes"
        ),
        BadBody(
            body: #"{"type":"latency","name":"a/b"}"#,
            message: #"bad request body: toxic name "a/b" must not contain "/""#
        ),
        BadBody(
            body: #"{"type":"latency","attributes":[]}"#,
            message: #"bad request body: "attributes" must be an object, got an array"#
        ),
        BadBody(
            body: #"{"type":"latency","attributes":5}"#,
            message: #"bad request body: "attributes" must be an object, got 5"#
        ),
        BadBody(
            body: #"{"type":"latency","attributes":{"delay":5}}"#,
            message: #"bad request body: latency has no attribute "delay"; it takes latency, jitter"#
        ),
        BadBody(
            body: #"{"type":"noop","attributes":{"x":1}}"#,
            message: #"bad request body: noop has no attribute "x"; it takes none"#
        ),
        BadBody(
            body: #"{"type":"latency","attributes":{"latency":1.5}}"#,
            message: #"bad request body: attribute "latency" must be a whole number, got 1.5"#
        ),
        BadBody(
            body: #"{"type":"latency","attributes":{"latency":"100"}}"#,
            message: #"bad request body: attribute "latency" must be a whole number, got "100""#
        ),
        BadBody(
            body: #"{"type":"latency","attributes":{"latency":null}}"#,
            message: #"bad request body: attribute "latency" must be a whole number, got null"#
        ),
        BadBody(
            body: #"{"type":"latency","attributes":{"latency":1e30}}"#,
            message: #"bad request body: attribute "latency" must be a whole number, got 1e+30"#
        ),
        BadBody(
            body: #"{"type":"latency","attributes":{"jitter":-1}}"#,
            message: #"bad request body: attribute "jitter" must be at least 0, got -1"#
        ),
        BadBody(
            body: #"{"type":"bandwidth","attributes":{"rate":-1}}"#,
            message: #"bad request body: attribute "rate" must be at least 0, got -1"#
        ),
        BadBody(
            body: #"{"type":"slicer","attributes":{"average_size":0}}"#,
            message: #"bad request body: attribute "average_size" must be at least 1, got 0"#
        ),
        BadBody(
            body: #"{"type":"slicer","attributes":{"average_size":5,"size_variation":5}}"#,
            message: #"bad request body: attribute "size_variation" (5) must be smaller than "average_size" (5)"#
        ),
        BadBody(
            body: #"{"type":"slicer","attributes":{"size_variation":3}}"#,
            message: #"bad request body: attribute "size_variation" (3) must be smaller than "average_size" (1)"#
        ),
        BadBody(
            body: #"{"type":"idle_reset","attributes":{"idle":0}}"#,
            message: #"bad request body: attribute "idle" must be at least 1, got 0"#
        ),
        BadBody(
            body: #"{"type":"max_connections","attributes":{"refuse":2}}"#,
            message: #"bad request body: attribute "refuse" must be 0 (reset) or 1 (refuse), got 2"#
        ),
        BadBody(
            body: #"{"type":"timeout","attributes":{"timeout":-5}}"#,
            message: #"bad request body: attribute "timeout" must be at least 0, got -5"#
        ),
    ]

    @Test(arguments: Self.badToxics)
    func badToxicBodies(_ bad: BadBody) async {
        let harness = APIHarness()
        await harness.createProxy("redis")
        await harness.backend.clearCalls()
        let response = await harness.addToxic("redis", bad.body)
        #expect(response.status == 400)
        #expect(response.contentType == "text/plain; charset=utf-8")
        #expect(response.bodyText == APIHarness.errorBody(bad.message, 400))
        #expect(await harness.calls.isEmpty)
        #expect(await harness.api.proxyStates[0].toxics.isEmpty)
    }

    static let badUpdates: [BadBody] = [
        BadBody(body: "", message: "bad request body: the body is empty; send a JSON document"),
        BadBody(body: "nope", message: "bad request body: not valid JSON"),
        BadBody(
            body: #"{"attributes":{"average_size":2}}"#,
            message: #"bad request body: attribute "size_variation" (4) must be smaller than "average_size" (2)"#
        ),
        BadBody(
            body: #"{"attributes":{"delay":-1}}"#,
            message: #"bad request body: attribute "delay" must be at least 0, got -1"#
        ),
        BadBody(
            body: #"{"attributes":{"latency":10}}"#,
            message: #"bad request body: slicer has no attribute "latency"; "#
                + "it takes average_size, size_variation, delay"
        ),
        BadBody(
            body: #"{"toxicity":2}"#,
            message: #"bad request body: "toxicity" must be a number from 0 to 1, got 2"#
        ),
        BadBody(
            body: #"{"type":"latency"}"#,
            message: "bad request body: a toxic's type cannot be changed (slicer); remove it and add a new one"
        ),
        BadBody(
            body: #"{"stream":"downstream"}"#,
            message: "bad request body: a toxic's stream cannot be changed (upstream); remove it and add a new one"
        ),
        BadBody(body: #"{"stream":"x"}"#, message: "stream was invalid, can be either upstream or downstream"),
        BadBody(
            body: #"{"name":"other"}"#,
            message: #"bad request body: a toxic cannot be renamed ("cut"); remove it and add a new one"#
        ),
        BadBody(
            body: #"{"enabled":true}"#,
            message: #"bad request body: unknown field "enabled"; "#
                + "a toxic takes name, type, stream, toxicity, attributes"
        ),
    ]

    @Test(arguments: Self.badUpdates)
    func badToxicUpdates(_ bad: BadBody) async {
        let harness = APIHarness()
        await harness.createProxy("redis")
        let toxic = #"{"name":"cut","type":"slicer","stream":"upstream","toxicity":0.5,"#
            + #""attributes":{"average_size":10,"size_variation":4}}"#
        #expect(await harness.addToxic("redis", toxic).status == 200)
        let before = await harness.api.proxyStates
        await harness.backend.clearCalls()
        let response = await harness.send("PATCH", "/proxies/redis/toxics/cut", bad.body)
        #expect(response.status == 400)
        #expect(response.bodyText == APIHarness.errorBody(bad.message, 400))
        #expect(await harness.calls.isEmpty)
        #expect(await harness.api.proxyStates == before)
    }

    static let badProxyPatches: [BadBody] = [
        BadBody(body: "", message: "bad request body: the body is empty; send a JSON document"),
        BadBody(
            body: #"{"enabled":"false"}"#,
            message: #"bad request body: "enabled" must be true or false, got "false""#
        ),
        BadBody(body: #"{"upstream":""}"#, message: #"bad request body: "upstream" must not be empty"#),
        BadBody(
            body: #"{"upstream":"b:2","tls":{}}"#,
            message: #"bad request body: unknown field "tls"; a proxy takes name, listen, upstream, enabled, toxics"#
        ),
    ]

    @Test(arguments: Self.badProxyPatches)
    func badProxyUpdates(_ bad: BadBody) async {
        let harness = APIHarness()
        await harness.createProxy("redis")
        let before = await harness.api.proxyStates
        await harness.backend.clearCalls()
        let response = await harness.send("PATCH", "/proxies/redis", bad.body)
        #expect(response.status == 400)
        #expect(response.bodyText == APIHarness.errorBody(bad.message, 400))
        #expect(await harness.calls.isEmpty)
        #expect(await harness.api.proxyStates == before)
    }

    @Test(arguments: [
        #"{"type":"slicer","attributes":{"average_size":5,"size_variation":4,"delay":0}}"#,
        #"{"type":"bandwidth","attributes":{"rate":0}}"#,
        #"{"type":"latency","attributes":{"latency":2.0,"jitter":0}}"#,
        #"{"type":"latency","toxicity":0}"#,
        #"{"type":"latency","toxicity":1}"#,
        #"{"type":"max_connections","attributes":{"connections":0,"refuse":1}}"#,
        #"{"type":"reset_after_bytes","stream":"Upstream","attributes":{"bytes":700000}}"#,
    ])
    func boundaryValuesAreAccepted(_ body: String) async {
        let harness = APIHarness()
        await harness.createProxy("redis")
        #expect(await harness.addToxic("redis", body).status == 200)
    }

    @Test func hostileBodiesAre400NotCrashes() async {
        let harness = APIHarness()
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(await harness.send("POST", "/populate", deep).status == 400)
        let invalidUTF8 = APIRequest(method: "POST", path: "/proxies", body: [0x7B, 0xFF, 0xFE, 0x7D])
        #expect(await harness.api.handle(invalidUTF8).status == 400)
        let huge = #"{"name":"a","upstream":"b:1","listen":"\#(String(repeating: "9", count: 400))"}"#
        #expect(await harness.send("POST", "/proxies", #"{"name":"a","upstream":1e999}"#).status == 400)
        #expect(await harness.send("POST", "/proxies", huge).status == 201)
        #expect(await harness.calls.count == 1)
    }
}
