import Testing

@testable import ResetLabProxy

@Suite struct APIResetTests {
    private let harness = APIHarness()

    @Test func resetEnablesEveryProxyAndRemovesEveryToxic() async {
        await self.harness.createProxy("on", listen: "127.0.0.1:7001")
        await self.harness.createProxy("off", listen: "127.0.0.1:7002")
        await self.harness.createProxy("plain", listen: "127.0.0.1:7003")
        await self.harness.addToxic("on", #"{"type":"latency"}"#)
        await self.harness.addToxic("off", #"{"type":"timeout"}"#)
        await self.harness.send("PATCH", "/proxies/off", #"{"enabled":false}"#)
        await self.harness.backend.clearCalls()

        let response = await self.harness.send("POST", "/reset")
        #expect(response == APIResponse(status: 204, contentType: "", body: []))
        #expect(
            await self.harness.calls == [
                .update("on", toxics: []),
                .start("off", listen: "127.0.0.1:7002", upstream: "127.0.0.1:6379", toxics: []),
            ]
        )
        let states = await self.harness.api.proxyStates
        #expect(states.map(\.name) == ["on", "off", "plain"])
        #expect(states.allSatisfy { $0.definition.enabled && $0.toxics.isEmpty })
        #expect(await self.harness.send("GET", "/proxies/off/toxics").bodyText == "[]")
    }

    @Test func resetWithNothingIs204() async {
        #expect(await self.harness.send("POST", "/reset").status == 204)
        #expect(await self.harness.calls.isEmpty)
    }

    @Test func resetReportsTheFirstListenErrorAfterResettingTheRest() async {
        await self.harness.createProxy("a", listen: "127.0.0.1:7001", extra: #","enabled":false"#)
        await self.harness.createProxy("b", listen: "127.0.0.1:7002", extra: #","enabled":false"#)
        await self.harness.addToxic("b", #"{"type":"latency"}"#)
        let message = "listen tcp 127.0.0.1:7001: bind: address already in use"
        await self.harness.backend.failListen(on: "127.0.0.1:7001", message: message)

        let response = await self.harness.send("POST", "/reset")
        #expect(response.status == 500)
        #expect(response.bodyText == APIHarness.errorBody(message, 500))
        let states = await self.harness.api.proxyStates
        #expect(states.map(\.definition.enabled) == [false, true])
        #expect(states[1].toxics.isEmpty)
    }
}
