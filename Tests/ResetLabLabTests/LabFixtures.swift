@testable import ResetLabLab

/// Hand-built scenario results, as the runner would produce them.
enum LabFixtures {
    static let epoch: Int64 = 1_700_000_000_123_456_789
    static let notCapturedReason = "needs root or CAP_NET_RAW: socket(AF_PACKET) failed with EPERM"
    static let skippedReason = "needs root: network namespaces and nftables"

    static let errnoCodes: [String: Int32] = [
        "EAGAIN": 11, "EPIPE": 32, "EADDRINUSE": 98, "EADDRNOTAVAIL": 99, "ENETDOWN": 100, "ENETUNREACH": 101,
        "ECONNABORTED": 103, "ECONNRESET": 104, "ENOTCONN": 107, "ETIMEDOUT": 110, "ECONNREFUSED": 111,
        "EHOSTDOWN": 112, "EHOSTUNREACH": 113, "EINVAL": 22,
    ]

    static func error(_ name: String) -> LinuxError {
        LinuxError(code: Self.errnoCodes[name] ?? 0, name: name)
    }

    /// A record for step `index` of `scenario`, checked against the step's expectation.
    static func record(
        _ scenario: LabScenario,
        _ index: Int,
        _ outcome: CallOutcome,
        state: TCPState? = nil,
        winsock: WinsockTranslation.Result? = .sameAsLinux,
        time: Double
    ) -> LabStepRecord {
        let step = scenario.steps[index]
        return LabStepRecord(
            index: index,
            step: step,
            stateBefore: state,
            outcome: outcome,
            winsock: step.actor == .harness && outcome.isHarnessOnly ? nil : winsock,
            time: time,
            met: step.expectation.map { $0.isMet(by: outcome, stateBefore: state) }
        )
    }

    /// The records of story 5 (a) as Linux produces them.
    static func gracefulRecords(lastOutcome: CallOutcome = .failed(Self.error("EPIPE"))) -> [LabStepRecord] {
        let scenario = LabScenario.gracefulCloseThenWrite
        let aborted = WinsockTranslation.Result.error(name: "WSAECONNABORTED", code: 10053)
        return [
            Self.record(scenario, 0, .done, time: 0.001),
            Self.record(scenario, 1, .done, state: nil, time: 0.002),
            Self.record(scenario, 2, .done, state: .listen, time: 0.003),
            Self.record(scenario, 3, .sent(1), state: .established, time: 0.004),
            Self.record(scenario, 4, .received(Array("x".utf8)), state: .established, time: 0.005),
            Self.record(scenario, 5, .done, state: .established, time: 0.006),
            Self.record(scenario, 6, .acted("waited 20 ms"), time: 0.027),
            Self.record(scenario, 7, .sent(2), state: .closeWait, time: 0.028),
            Self.record(scenario, 8, .acted("waited 20 ms"), time: 0.049),
            Self.record(scenario, 9, .endOfStream, state: .close, winsock: aborted, time: 0.050),
            record(
                scenario, 10, lastOutcome, state: .close,
                winsock: WinsockTranslation.translate(lastOutcome, history: .init(peerFinSeen: true, resetSeen: true)),
                time: 0.051
            ),
        ]
    }

    /// The segments of story 5 (a): handshake, 1 byte, FIN, 2 bytes, RST.
    static func gracefulPackets() -> [LabPacket] {
        let c: UInt32 = 1_000_000
        let s: UInt32 = 4_000_000_000  // wraps past 2^32 in the relative numbers
        let ms: Int64 = 1_000_000
        let x = Array("x".utf8)
        let yy = Array("yy".utf8)
        return [
            TestPackets.packet(.client, .syn, seq: c, at: Self.epoch),
            TestPackets.packet(.server, [.syn, .ack], seq: s, ack: c + 1, at: Self.epoch + 1 * ms / 10),
            TestPackets.packet(.client, .ack, seq: c + 1, ack: s + 1, at: Self.epoch + 2 * ms / 10),
            TestPackets.packet(.client, [.psh, .ack], seq: c + 1, ack: s + 1, payload: x, at: Self.epoch + 3 * ms),
            TestPackets.packet(.server, .ack, seq: s + 1, ack: c + 2, at: Self.epoch + 3 * ms + 50_000),
            TestPackets.packet(.server, [.fin, .ack], seq: s + 1, ack: c + 2, at: Self.epoch + 5 * ms),
            TestPackets.packet(.client, .ack, seq: c + 2, ack: s + 2, at: Self.epoch + 5 * ms + 40_000),
            TestPackets.packet(.client, [.psh, .ack], seq: c + 2, ack: s + 2, payload: yy, at: Self.epoch + 26 * ms),
            TestPackets.packet(.server, .rst, seq: s + 2, at: Self.epoch + 26 * ms + 30_000),
        ]
    }

    /// Story 5 (a), run as expected, with packets.
    static func gracefulPassed() -> LabScenarioResult {
        LabScenarioResult(
            scenario: .gracefulCloseThenWrite,
            records: Self.gracefulRecords(),
            packets: Self.gracefulPackets(),
            capture: .captured,
            duration: 0.0523,
            serverPort: TestPackets.serverPort
        )
    }

    /// Story 5 (a) where the last send unexpectedly succeeded.
    static func gracefulFailed() -> LabScenarioResult {
        LabScenarioResult(
            scenario: .gracefulCloseThenWrite,
            records: Self.gracefulRecords(lastOutcome: .sent(1)),
            packets: Self.gracefulPackets(),
            capture: .captured,
            failures: ["step 11 (client send 1 bytes \"z\"): expected EPIPE, got 1 bytes sent"],
            duration: 0.0523,
            serverPort: TestPackets.serverPort
        )
    }

    /// A scenario whose records are exactly what it expects, with no packets captured.
    static func synthesized(
        _ scenario: LabScenario,
        capture: CaptureStatus = .notCaptured(Self.notCapturedReason)
    ) -> LabScenarioResult {
        let records = scenario.steps.enumerated().map { index, step in
            let outcome = step.expectation.map(Self.outcome) ?? (step.actor == .harness ? .acted("done") : .done)
            return record(
                scenario, index, outcome, state: .established,
                winsock: WinsockTranslation.translate(outcome, history: .init()),
                time: Double(index) * 0.0013
            )
        }
        return LabScenarioResult(
            scenario: scenario, records: records, capture: capture, duration: 0.1, serverPort: 41_234
        )
    }

    /// An outcome that meets `expectation`.
    static func outcome(_ expectation: CallExpectation) -> CallOutcome {
        switch expectation {
        case .succeeds: .done
        case .sends(let count): .sent(count)
        case .receives(let count): .received(Array(repeating: 0x61, count: count))
        case .endOfStream: .endOfStream
        case .fails(let name): .failed(Self.error(name))
        case .frames(let count): .frames(count)
        case .inState: .inspected
        case .anyOf(let options): options.first.map(Self.outcome) ?? .done
        }
    }

    /// Every scenario: story 5 (a) with packets, one failing, one skipped, one with many retransmissions,
    /// the rest without capture.
    static func allResults() -> [LabScenarioResult] {
        LabScenario.all.map { scenario in
            switch scenario.id {
            case LabScenario.gracefulCloseThenWrite.id:
                return Self.gracefulPassed()
            case LabScenario.firewallReset.id:
                return LabScenarioResult(
                    scenario: scenario, skipped: Self.skippedReason, capture: .notCaptured(Self.skippedReason)
                )
            case LabScenario.crashAfterRead.id:
                var result = Self.synthesized(scenario)
                result.failures = [
                    "step 8 (client recv (up to 4096 bytes)): expected 0 (EOF), got -1 ECONNRESET (104); the kernel "
                        + "sent RST because the SIGKILL arrived before the read finished, which is a long sentence"
                ]
                return result
            case LabScenario.blackhole.id:
                var result = Self.synthesized(scenario, capture: .captured)
                result.packets = (0..<12).map { index in
                    TestPackets.packet(
                        .client, [.psh, .ack], seq: 1, ack: 1, payload: Array("hello".utf8),
                        at: Self.epoch + Int64(index) * 200_000_000
                    )
                }
                return result
            default:
                return Self.synthesized(scenario)
            }
        }
    }
}

extension CallOutcome {
    /// Whether the outcome is the harness's own (no socket call, no Winsock result).
    var isHarnessOnly: Bool {
        switch self {
        case .acted, .inspected: true
        default: false
        }
    }
}
