import ResetLabWatch
import Testing

@testable import ResetLabLab

@Suite struct PacketsByStepTests {
    private func packet(atMilliseconds milliseconds: Int64, start: Int64) -> LabPacket {
        LabPacket(
            from: .client, flags: .ack, sequenceNumber: 0, acknowledgmentNumber: 0, payloadLength: 0, timeToLive: 64,
            timestampNanoseconds: start + milliseconds * 1_000_000, ipPacket: []
        )
    }

    private func record(_ index: Int, atSeconds time: Double) -> LabStepRecord {
        LabStepRecord(
            index: index, step: LabStep(.harness, .pause(milliseconds: 1)), stateBefore: nil,
            outcome: .acted("waited"), winsock: nil, time: time, met: nil
        )
    }

    @Test func eachSegmentBelongsToTheStepDuringWhichItWasSeen() {
        let start: Int64 = 1_700_000_000_000_000_000
        let result = LabScenarioResult(
            scenario: .gracefulCloseThenWrite,
            records: [self.record(0, atSeconds: 0.010), self.record(1, atSeconds: 0.020), self.record(2, atSeconds: 0.030)],
            packets: [5, 10, 15, 25, 40].map { self.packet(atMilliseconds: $0, start: start) },
            capture: .captured,
            startTimestampNanoseconds: start
        )
        // 5 and 10 ms by step 0 (returned at 10 ms), 15 by step 1, 25 by step 2, 40 after the end: the last step.
        #expect(result.packetIndicesByRecord() == [[0, 1], [2], [3, 4]])
    }

    @Test func noRecordsMeansNoGroups() {
        let result = LabScenarioResult(scenario: .cleanShutdown, capture: .notCaptured("none"))
        #expect(result.packetIndicesByRecord().isEmpty)
    }
}

@Suite struct ResetsByStepTests {
    @Test func aCapturedRSTGoesWithItsPacketAndAnyOtherByItsTime() {
        var result = LabFixtures.gracefulPassed()
        result.startTimestampNanoseconds = LabFixtures.epoch - 1_500_000
        let rst = result.packets.count - 1
        // Sent at 20 ms, but captured (and so shown) under the send of 2 bytes (step 8, index 7).
        result.resets = [
            LabReset(from: .server, origin: .kernel(reason: .timeWaitSocket, state: nil), timestampNanoseconds: result.startTimestampNanoseconds + 20_000_000, packetIndex: rst),
            LabReset(from: .client, origin: .kernel(reason: .state, state: nil), timestampNanoseconds: result.startTimestampNanoseconds + 49_500_000),
            LabReset(from: .client, origin: .kernel(reason: .state, state: nil), timestampNanoseconds: result.startTimestampNanoseconds + 90_000_000),
        ]
        let groups = result.resetIndicesByRecord()
        #expect(groups.count == result.records.count)
        #expect(groups[7] == [0])
        #expect(groups[9] == [1], "49.5 ms: after step 9 (49 ms), by step 10 (50 ms)")
        #expect(groups[10] == [2], "after the last step: the last step")
    }
}
