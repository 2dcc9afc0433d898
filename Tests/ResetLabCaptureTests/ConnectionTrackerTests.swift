import Testing

@testable import ResetLabCapture

/// How segments are grouped into connections, and that finished connections are let go.
@Suite struct ConnectionTrackerTests {
    @Test func aReusedPortWithANewSynIsANewConnection() {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("FA")
        conversation.server("FA")
        conversation.client("A")
        conversation.clientNext = 900_000
        conversation.serverNext = 700_000
        conversation.handshake()
        conversation.client("R")
        let records = conversation.records()
        #expect(records.count == 2)
        #expect(records.map(\.zeekState) == [.sf, .rsto])
        #expect(records.map(\.id) == [1, 2])
    }

    @Test func aNewSynAfterAnUnansweredOneIsANewAttempt() {
        var conversation = Conversation()
        conversation.client("S")
        conversation.clientNext = 77_777
        conversation.client("S", after: 3_000_000_000)
        conversation.server("SA")
        conversation.client("A")
        let records = conversation.records()
        #expect(records.map(\.zeekHistory) == ["S", "ShA"])
    }

    @Test func aLongSilenceDoesNotSplitAConnection() throws {
        var conversation = Conversation()
        conversation.handshake()
        conversation.client("PA", 10)
        conversation.server("A")
        conversation.client("PA", 10, after: 3_600_000_000_000)
        conversation.server("FA")
        conversation.client("FA")
        let record = try #require(conversation.record())
        #expect(record.duration > 3_600_000_000_000)
        #expect(record.verdict == .cleanClose)
    }

    @Test func loopbackConnectionsWithTheSameAddressAreToldApartByPort() {
        var first = Conversation(clientPort: 50000, serverPort: 8080)
        var second = Conversation(clientPort: 50001, serverPort: 8080)
        first.client = Endpoint(address: IPAddress(ipv4: 0x7f00_0001), port: 50000)
        first.server = Endpoint(address: IPAddress(ipv4: 0x7f00_0001), port: 8080)
        second.client = Endpoint(address: IPAddress(ipv4: 0x7f00_0001), port: 50001)
        second.server = first.server
        first.handshake()
        second.handshake()
        first.client("R")
        second.server("FA")
        let segments = zip(first.segments, second.segments).flatMap { [$0, $1] } + [first.segments[3], second.segments[3]]
        let records = Conversation.records(segments)
        #expect(records.count == 2)
        #expect(Set(records.map(\.zeekState)) == [.rsto, .s3])
        #expect(records.allSatisfy { $0.originator.address == $0.responder.address })
    }

    @Test func endedConnectionsAreReportedAndForgottenAsTheCaptureGoesOn() {
        var tracker = ConnectionTracker(closeDelay: 5_000_000_000)
        var reported: [Int] = []
        var mostAlive = 0
        for index in 0..<1_000 {
            var conversation = Conversation(clientPort: UInt16(20_000 + index))
            conversation.now += Int64(index) * 2_000_000_000
            conversation.handshake()
            conversation.client("FA")
            conversation.server("FA")
            for segment in conversation.segments {
                tracker.add(segment) { record, _ in reported.append(record.id) }
                mostAlive = max(mostAlive, tracker.liveConnections)
            }
        }
        #expect(reported.count >= 990, "ended connections must be reported before the end")
        #expect(mostAlive <= 5, "at most a few seconds' worth of connections may be kept")
        tracker.finish { record, _ in reported.append(record.id) }
        #expect(reported.sorted() == Array(1...1_000))
    }

    @Test func ipv6ConnectionsAreTracked() throws {
        var conversation = Conversation()
        conversation.client = Endpoint(address: try #require(IPAddress(parsing: "2001:db8::1")), port: 40000)
        conversation.server = Endpoint(address: try #require(IPAddress(parsing: "2001:db8::2")), port: 443)
        conversation.handshake()
        conversation.server("RA")
        let record = try #require(conversation.record())
        #expect(record.originator.description == "[2001:db8::1]:40000")
        #expect(record.zeekState == .rstr)
    }

    @Test func theIndexAgreesWithADictionary() {
        var index = ConnectionIndex(capacity: 4)
        var reference: [Int: UInt32] = [:]  // slot → hash
        var generator = SystemRandomNumberGenerator()
        for step in 0..<20_000 {
            if Int.random(in: 0..<10, using: &generator) < 6 || reference.isEmpty {
                // Few distinct hashes, so that probe runs collide and wrap around the table.
                let hash = UInt32.random(in: 0..<40, using: &generator) &* 0x9e37_79b9
                index.insert(hash: hash, slot: step)
                reference[step] = hash
            } else {
                let slot = reference.keys.randomElement(using: &generator) ?? 0
                index.remove(hash: reference[slot] ?? 0, slot: slot)
                reference[slot] = nil
            }
            if step % 97 == 0 {
                for (slot, hash) in reference {
                    #expect(index.slot(hash: hash) { $0 == slot } == slot)
                }
            }
        }
        #expect(index.count == reference.count)
        #expect(Set(index.slots) == Set(reference.keys))
        #expect(index.slot(hash: 12345) { _ in true } == nil || reference.values.contains(12345))
    }
}
