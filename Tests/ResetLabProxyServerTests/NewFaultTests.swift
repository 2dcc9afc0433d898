import Foundation
import Testing

/// ResetLab's faults that Toxiproxy does not have, end to end.
@Suite struct NewFaultTests {
    /// The 10053 pattern: FIN first, then RST to the client's next data.
    @Test func halfCloseResetSendsFinThenResetsOnTheNextSend() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("hcr", upstreamPort: upstream.port)
            let client = try await Blocking.run { try harness.connectThrough(port, upstream: upstream) }
            let watch = Stopwatch()
            try await harness.addToxic("hcr", "half_close_reset", ["delay": 200])
            let first = try await Blocking.run { client.receive(timeout: 200 + 5_000) }
            #expect(first == .endOfStream)
            #expect(watch.milliseconds >= 200, "FIN after \(watch.milliseconds) ms, before the delay")

            // The first send after the FIN is accepted locally; the proxy answers it with RST, and the next
            // send fails (EPIPE in CLOSE_WAIT on Linux, ECONNRESET elsewhere).
            let failure = try await Blocking.run { () -> Int32? in
                var failure: Int32?
                _ = Blocking.eventually(timeout: 3_000) {
                    let result = client.sendOnce(Array("more".utf8))
                    if result < 0 { failure = Int32(-result) }
                    return result < 0
                }
                return failure
            }
            let failureName = failure.map(Errno.name) ?? "no error"
            #expect(failure == ECONNRESET || failure == EPIPE, "send after FIN gave \(failureName)")
            #expect(client.tcpState == TCPState.close)
            let results = try await Blocking.run { upstream.waitForResults(1) }
            #expect(results?.first?.ending == .failed(ECONNRESET))
        }
    }

    /// Story 2's restarted server: every connection reset, refused for `duration`, then accepted.
    @Test func crashRestartResetsRefusesThenAcceptsAgain() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("crash", upstreamPort: upstream.port)
            let open = try await Blocking.run { try harness.connectThrough(port, upstream: upstream) }
            let watch = Stopwatch()
            try await harness.addToxic("crash", "crash_restart", ["duration": 1_500])

            #expect(try await Blocking.run { open.receive(timeout: 5_000) } == .failed(ECONNRESET))
            let refused = try await Blocking.run {
                Blocking.eventually(timeout: 500) { TestSocket.connectError(port: port) == ECONNREFUSED }
            }
            #expect(refused, "new connects were not refused after the crash")
            #expect(watch.milliseconds < 1_500, "the check ran past the duration (\(watch.milliseconds) ms)")

            let back = try await Blocking.run {
                Blocking.eventually(timeout: 1_500 + 5_000, interval: 50) { TestSocket.connectError(port: port) == nil }
            }
            let downFor = watch.milliseconds
            #expect(back, "the proxy never accepted again")
            #expect(downFor >= 1_500, "accepted again after \(downFor) ms, before the duration")
            #expect(try await Blocking.run { try harness.connect(port).roundTrip("restarted") } == "restarted")
            let results = try await Blocking.run { upstream.waitForResults(1) }
            #expect(results?.first?.ending == .failed(ECONNRESET))
        }
    }

    @Test func idleResetResetsTheIdleConnectionOnly() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("idlereset", upstreamPort: upstream.port)
            let (idle, busy) = try await Blocking.run {
                let idle = try harness.connectThrough(port, upstream: upstream)
                return (idle, try harness.connectThrough(port, upstream: upstream))
            }
            let watch = Stopwatch()
            // An idle limit well above the busy connection's pauses, even on a loaded machine.
            try await harness.addToxic("idlereset", "idle_reset", ["idle": 1_000])
            let idleEnd = Task {
                try await Blocking.run { () -> (ReadOutcome, Int64) in
                    (idle.receive(timeout: 1_000 + 5_000), watch.milliseconds)
                }
            }
            // The busy connection talks every 100 ms for more than an idle period.
            let replies = try await Blocking.run { () -> [String] in
                try (0..<12).map { index in
                    Thread.sleep(forTimeInterval: 0.1)
                    return try busy.roundTrip("tick \(index)")
                }
            }
            let (outcome, resetAt) = try await idleEnd.value
            #expect(outcome == .failed(ECONNRESET))
            #expect(resetAt >= 1_000, "reset after \(resetAt) ms, before the idle time")
            #expect(replies == (0..<12).map { "tick \($0)" })
            #expect(busy.tcpState == TCPState.established)
        }
    }

    /// A middlebox that forgets the connection: nothing arrives any more, and nobody gets FIN or RST.
    @Test func idleDropSilentlyDropsBothDirections() async throws {
        try await ProxyHarness.run { harness in
            let received = Locked<[UInt8]>([])
            let speak = Locked(false)
            let upstream = try harness.upstream { socket in
                guard case .data(let bytes) = socket.receive(timeout: 10_000) else {
                    return UpstreamResult(receivedCount: 0, ending: .timedOut)
                }
                received.withLock { $0 += bytes }
                try? socket.send(bytes)
                _ = Blocking.eventually(timeout: 10_000) { speak.current }
                try? socket.send("from upstream")
                let later = socket.receive(timeout: 1_500)
                if case .data(let more) = later { received.withLock { $0 += more } }
                return UpstreamResult(receivedCount: received.current.count, ending: later)
            }
            let port = try await harness.proxy("idledrop", upstreamPort: upstream.port)
            let client = try harness.connect(port)
            #expect(try await Blocking.run { try client.roundTrip("before") } == "before")
            try await harness.addToxic("idledrop", "idle_drop", ["idle": 300])

            let outcome = try await Blocking.run { () -> ReadOutcome in
                Thread.sleep(forTimeInterval: 0.8)
                speak.withLock { $0 = true }
                try client.send("after")
                return client.receive(timeout: 1_000)
            }
            #expect(outcome == .timedOut, "after the drop the client got \(outcome)")
            #expect(client.tcpState == TCPState.established)
            let results = try await Blocking.run { upstream.waitForResults(1) }
            let upstreamEnding = results?.first?.ending
            #expect(upstreamEnding == .timedOut, "the upstream saw \(upstreamEnding?.description ?? "-")")
            #expect(received.current == Array("before".utf8))
        }
    }

    @Test func maxConnectionsResetsTheConnectionOverTheLimit() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("full", upstreamPort: upstream.port)
            try await harness.addToxic("full", "max_connections", ["connections": 1, "refuse": 0])
            let first = try await Blocking.run { try harness.connectThrough(port, upstream: upstream) }
            #expect(try await Blocking.run { try first.roundTrip("one") } == "one")

            let second = try harness.connect(port)
            #expect(try await Blocking.run { second.receive(timeout: 5_000) } == .failed(ECONNRESET))
            #expect(try await Blocking.run { try first.roundTrip("still one") } == "still one")
            #expect(upstream.acceptedCount == 1)
            let metrics = try await harness.metrics()
            #expect(metrics.value("resetlab_proxy_faults_total", ["proxy": "full", "type": "max_connections"]) == 1)
        }
    }

    @Test func maxConnectionsRefusesWhileFullAndAcceptsOnceOneCloses() async throws {
        try await ProxyHarness.run { harness in
            let upstream = try harness.echoUpstream()
            let port = try await harness.proxy("ftp", upstreamPort: upstream.port)
            try await harness.addToxic("ftp", "max_connections", ["connections": 1, "refuse": 1])
            let first = try await Blocking.run { try harness.connectThrough(port, upstream: upstream) }
            #expect(try await Blocking.run { try first.roundTrip("one") } == "one")
            let refused = try await Blocking.run {
                Blocking.eventually(timeout: 1_000) { TestSocket.connectError(port: port) == ECONNREFUSED }
            }
            #expect(refused, "a second connect was not refused while the proxy was full")

            let end = try await Blocking.run { () -> ReadOutcome in
                try first.shutdownWrite()
                let end = first.readToEnd(timeout: 5_000).end
                first.close()
                return end
            }
            #expect(end == .endOfStream)
            // Until the proxy has seen the first connection end, a connect is refused, or reset if it raced
            // the listener closing; then one is served.
            let reply = try await Blocking.run { () -> String? in
                var reply: String?
                _ = Blocking.eventually(timeout: 5_000, interval: 50) {
                    guard let client = try? harness.connect(port) else { return false }
                    reply = try? client.roundTrip("two")
                    if reply == nil { client.close() }
                    return reply != nil
                }
                return reply
            }
            #expect(reply == "two", "no connection was served after the first one closed")
        }
    }

    /// Story 3's upload that dies with a reset after N bytes.
    @Test func resetAfterBytesStopsTheUploadWithAReset() async throws {
        try await ProxyHarness.run { harness in
            let limit = 100_000
            let upload = Locked<[UInt8]>([])
            let upstream = try harness.upstream { socket in
                while true {
                    let outcome = socket.receive(timeout: 10_000)
                    guard case .data(let bytes) = outcome else {
                        return UpstreamResult(receivedCount: upload.current.count, ending: outcome)
                    }
                    upload.withLock { $0 += bytes }
                }
            }
            let port = try await harness.proxy("upload", upstreamPort: upstream.port)
            try await harness.addToxic("upload", "reset_after_bytes", stream: "upstream", ["bytes": limit])
            let client = try await Blocking.run { try harness.connectThrough(port, upstream: upstream) }

            // Far more than every socket buffer on the way can hold: the upload must fail.
            let failure = try await Blocking.run { () -> Int32? in
                var offset = 0
                while offset < 256 << 20 {
                    let chunk = pattern(count: 65_536, seed: 5, from: offset)
                    do {
                        try client.send(chunk)
                    } catch let error as SocketError {
                        return error.code
                    }
                    offset += chunk.count
                }
                return nil
            }
            let failureName = failure.map(Errno.name) ?? "no error"
            #expect(failure == ECONNRESET || failure == EPIPE, "upload ended with \(failureName)")
            let results = try await Blocking.run { upstream.waitForResults(1) }
            #expect(results?.first?.ending == .failed(ECONNRESET))
            #expect(results?.first?.receivedCount == limit)
            let intact = upload.current == pattern(count: upload.current.count, seed: 5)
            #expect(intact, "the bytes the upstream received are not the upload's first bytes")
        }
    }
}
