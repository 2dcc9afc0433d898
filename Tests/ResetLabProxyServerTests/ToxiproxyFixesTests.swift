import Foundation
import Testing

/// The places where Toxiproxy is wrong (issue 4's list) and ResetLab must be right, on real sockets.
@Suite struct ToxiproxyFixesTests {
    /// Toxiproxy closes the upstream socket on the client's FIN, so the reply is lost. The reply is larger
    /// than the socket buffers, so the proxy still holds part of it when the server's FIN arrives.
    @Test func halfCloseReachesTheServerAndTheReplyStillArrives() async throws {
        try await ProxyHarness.run { harness in
            let request = Locked<[UInt8]>([])
            let replySize = 8 << 20
            let upstream = try harness.upstream { socket in
                let (bytes, end) = socket.readToEnd(timeout: 10_000)
                request.withLock { $0 = bytes }
                if end == .endOfStream {
                    try? socket.send(pattern(count: replySize, seed: 11))
                }
                return UpstreamResult(receivedCount: bytes.count, ending: end)
            }
            let port = try await harness.proxy("halfclose", upstreamPort: upstream.port)
            let client = try harness.connect(port)
            let (reply, end) = try await Blocking.run {
                try client.send("request")
                try client.shutdownWrite()
                return client.readToEnd(timeout: 30_000)
            }
            #expect(reply.count == replySize)
            let intact = reply == pattern(count: replySize, seed: 11)
            #expect(intact, "the reply after the client's FIN arrived damaged")
            #expect(end == .endOfStream)
            #expect(request.current == Array("request".utf8))
            let results = try await Blocking.run { upstream.waitForResults(1) }
            #expect(results?.first?.ending == .endOfStream, "the upstream must see the client's FIN")
        }
    }

    /// Toxiproxy's reset_peer waits for data, so an idle connection open before the toxic is never reset.
    @Test func resetPeerResetsAnOpenIdleConnection() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("idle", upstreamPort: upstream.port)
            let client = try await Blocking.run { try harness.connectThrough(port, upstream: upstream) }
            let watch = Stopwatch()
            try await harness.addToxic("idle", "reset_peer", ["timeout": 300])
            let outcome = try await Blocking.run { client.receive(timeout: 300 + 5_000) }
            let elapsed = watch.milliseconds
            #expect(outcome == .failed(ECONNRESET))
            #expect(elapsed >= 300, "reset after \(elapsed) ms, before the toxic's timeout")
            let results = try await Blocking.run { upstream.waitForResults(1) }
            #expect(results?.first?.ending == .failed(ECONNRESET), "the upstream must be reset too")
            #expect(results?.first?.receivedCount == 0)
        }
    }

    /// Toxiproxy accepts, then closes with FIN when the upstream refuses.
    @Test func unreachableUpstreamResetsTheClient() async throws {
        try await ProxyHarness.run { harness in
            let refusing = try RefusingPort()
            let port = try await harness.proxy("dead", upstreamPort: refusing.port)
            let client = try harness.connect(port)
            let outcome = try await Blocking.run { client.receive(timeout: 5_000) }
            withExtendedLifetime(refusing) {}
            #expect(outcome == .failed(ECONNRESET), "got \(outcome), not a reset")
        }
    }

    /// Toxiproxy dials upstream inside its accept loop: one black-holed dial stops every other client.
    @Test func blackholedUpstreamConnectBlocksNoOtherClient() async throws {
        try await ProxyHarness.run { harness in
            // A listener with backlog 0 that never accepts: one queued connection fills its queue, and the
            // kernel then drops every SYN, so connects to it hang.
            let hole = harness.keep(
                try UpstreamServer(backlog: 0, accepting: false) { _ in
                    UpstreamResult(receivedCount: 0, ending: .endOfStream)
                }
            )
            _ = try harness.connect(hole.port)
            let holePort = hole.port
            // The premise: a direct connect now gets no answer (TCP_SYNCNT 1 gives up after about 3 s).
            let probe = Task { try await Blocking.run { TestSocket.connectError(port: holePort, synRetries: 1) } }

            let working = try harness.echoUpstream()
            let blackholed = try await harness.proxy("blackholed", upstreamPort: hole.port)
            let serving = try await harness.proxy("serving", upstreamPort: working.port)
            let first = try harness.connect(blackholed)

            let watch = Stopwatch()
            let reply = try await Blocking.run {
                let client = try harness.connect(serving)
                return try client.roundTrip("ping", timeout: 3_000)
            }
            #expect(reply == "ping")
            #expect(watch.milliseconds < 3_000, "the round trip through the other proxy took \(watch.milliseconds) ms")

            _ = try harness.connect(blackholed)
            let counted = try await Blocking.eventually(timeout: 2_000) {
                try await harness.metrics().value("resetlab_proxy_connections_total", ["proxy": "blackholed"]) == 2
            }
            #expect(counted, "the second client of the black-holed proxy was not accepted at once")
            let stuck = try await Blocking.run { first.receive(timeout: 300) }
            #expect(stuck == .timedOut, "the first client should still wait for its upstream, got \(stuck)")
            #expect(try await probe.value == ETIMEDOUT, "the upstream was not black-holed")
        }
    }

    @Test func disabledProxyRefusesAndReenabledAcceptsAgain() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("gate", upstreamPort: upstream.port)
            let disabled = try await harness.api("PATCH", "/proxies/gate", body: #"{"enabled": false}"#)
            #expect(disabled.status == 200)
            #expect(disabled.jsonObject?["enabled"] as? Bool == false)
            #expect(try await Blocking.run { TestSocket.connectError(port: port) } == ECONNREFUSED)

            let enabled = try await harness.api("PATCH", "/proxies/gate", body: #"{"enabled": true}"#)
            #expect(enabled.status == 200)
            #expect(enabled.jsonObject?["listen"] as? String == "127.0.0.1:\(port)")
            let reply = try await Blocking.run { try harness.connect(port).roundTrip("back") }
            #expect(reply == "back")
        }
    }
}
