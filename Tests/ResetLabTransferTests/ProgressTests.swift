import Testing

@testable import ResetLabTransfer

@Suite struct ProgressTests {
    @Test(arguments: [
        (UInt64(0), "0 B"), (999, "999 B"), (1_000, "1.0 kB"), (1_500_000, "1.5 MB"), (10_000_000, "10.0 MB"),
        (1_073_741_824, "1.07 GB"),
    ])
    func sizes(_ bytes: UInt64, _ text: String) {
        #expect(ByteFormat.size(bytes) == text)
    }

    @Test(arguments: [
        (Double?.some(0), "0:00"), (7, "0:07"), (6.2, "0:07"), (59, "0:59"), (60, "1:00"), (723, "12:03"), (3723, "1:02:03"),
        (nil, "--:--"), (.infinity, "--:--"), (-1, "--:--"),
    ])
    func durations(_ seconds: Double?, _ text: String) {
        #expect(ByteFormat.duration(seconds) == text)
    }

    @Test func rateFollowsTheRecentPace() {
        var meter = RateMeter(window: 3)
        #expect(meter.bytesPerSecond == nil)
        meter.record(bytes: 0, at: 0)
        #expect(meter.bytesPerSecond == nil, "one sample is no rate")
        for second in 1...10 { meter.record(bytes: UInt64(second) * 100_000_000, at: Double(second)) }
        #expect(meter.bytesPerSecond == 100_000_000)
        // The pace drops to 10 MB/s; after the window only the new pace counts.
        for second in 11...20 { meter.record(bytes: 1_000_000_000 + UInt64(second - 10) * 10_000_000, at: Double(second)) }
        #expect(meter.bytesPerSecond == 10_000_000)
    }

    @Test func lineShowsPercentRateEtaAndResumes() {
        let line = ProgressLine(name: "backup.tar", done: 450_000_000, total: 1_000_000_000, bytesPerSecond: 50_000_000, resumes: 2)
        #expect(line.fraction == 0.45)
        #expect(line.secondsLeft == 11)
        let text = line.render(width: 100)
        #expect(text == "backup.tar [#############.................]  45%  50.0 MB/s  ETA 0:11  2 resumes")
        #expect(text.count <= 100)
    }

    @Test func lineFitsNarrowTerminalsAndUnknownRates() {
        let line = ProgressLine(name: String(repeating: "n", count: 40), done: 0, total: 10, bytesPerSecond: nil, resumes: 1)
        let text = line.render(width: 50)
        #expect(text.count <= 50)
        #expect(text.contains("ETA --:--"))
        #expect(line.render(width: 20).count <= 20)
        #expect(ProgressLine(name: "empty", done: 0, total: 0, bytesPerSecond: nil, resumes: 0).fraction == 1)
    }

    @Test func summariesForPeopleAndMachines() {
        let digest = SHA256Digest(computed: [UInt8](repeating: 0xAB, count: 32))
        let summary = SendSummary(
            name: "a.bin", size: 10_000_000, sha256: digest, seconds: 2, bytesSent: 12_000_000, resumes: 3, restarts: 0,
            firstOffset: 0, outcome: .verified)
        #expect(summary.text() == "sent a.bin: 10.0 MB in 2.00 s (5.0 MB/s), 3 resumes, verified sha256 " + String(repeating: "ab", count: 32))
        #expect(summary.json().serialized().hasPrefix(#"{"name":"a.bin","outcome":"verified","verified":true,"bytes":10000000,"seconds":2,"bytes_per_second":5000000,"bytes_sent":12000000,"first_offset":0,"resumes":3,"restarts":0,"sha256":"abab"#))
        var refused = summary
        refused.outcome = .refused(TransferRefusal(code: .invalidName, reason: "no paths"))
        #expect(refused.outcome.exitStatus == 2)
        #expect(refused.json().serialized().contains(#""error":"the receiver refused the file: no paths","refusal":"invalidName""#))
        #expect(SendSummary.Outcome.gaveUp("x").exitStatus == 1)
        #expect(SendSummary.Outcome.verificationFailed(receiver: digest).exitStatus == 3)
        #expect(SendSummary.Outcome.verified.exitStatus == 0)
    }
}
