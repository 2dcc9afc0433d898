/// What happened at one step when a scenario ran.
public struct LabStepRecord: Sendable, Hashable {
    /// The step's position in the scenario's script.
    public var index: Int
    public var step: LabStep
    /// The acting socket's TCP state just before the call (`nil` when there was no socket yet, or for the harness).
    public var stateBefore: TCPState?
    public var outcome: CallOutcome
    /// What a Windows program would have got for the same packets (`nil` for harness actions).
    public var winsock: WinsockTranslation.Result?
    /// When the call returned, in seconds since the scenario started.
    public var time: Double
    /// Whether the outcome met the step's expectation (`nil` when the step is not checked).
    public var met: Bool?

    public init(
        index: Int,
        step: LabStep,
        stateBefore: TCPState?,
        outcome: CallOutcome,
        winsock: WinsockTranslation.Result?,
        time: Double,
        met: Bool?
    ) {
        self.index = index
        self.step = step
        self.stateBefore = stateBefore
        self.outcome = outcome
        self.winsock = winsock
        self.time = time
        self.met = met
    }
}

/// Whether the scenario's packets were captured.
public enum CaptureStatus: Sendable, Hashable {
    case captured
    /// Not captured, and why (e.g. "needs root or CAP_NET_RAW: socket(AF_PACKET) failed with EPERM").
    case notCaptured(String)
}

/// The whole run of one scenario.
public struct LabScenarioResult: Sendable, Hashable {
    public var scenario: LabScenario
    /// Why the scenario did not run at all (e.g. it needs root), or `nil` when it ran.
    public var skipped: String?
    public var records: [LabStepRecord]
    public var packets: [LabPacket]
    public var capture: CaptureStatus
    /// Every RST of the scenario's connections with who sent it and, from the kernel's tracepoints, why.
    public var resets: [LabReset]
    /// Whether the kernel's reasons were traced.
    public var kernelTrace: KernelTraceStatus
    /// Everything that differed from the scenario's expectations.
    public var failures: [String]
    /// Wall-clock duration in seconds.
    public var duration: Double
    /// The server's port.
    public var serverPort: UInt16
    /// When the scenario started, in nanoseconds since the epoch (the clock packets are stamped with);
    /// step ``LabStepRecord/time``s count from here.
    public var startTimestampNanoseconds: Int64

    public init(
        scenario: LabScenario,
        skipped: String? = nil,
        records: [LabStepRecord] = [],
        packets: [LabPacket] = [],
        capture: CaptureStatus,
        resets: [LabReset] = [],
        kernelTrace: KernelTraceStatus = .notTraced("the kernel's reasons were not traced"),
        failures: [String] = [],
        duration: Double = 0,
        serverPort: UInt16 = 0,
        startTimestampNanoseconds: Int64 = 0
    ) {
        self.scenario = scenario
        self.skipped = skipped
        self.records = records
        self.packets = packets
        self.capture = capture
        self.resets = resets
        self.kernelTrace = kernelTrace
        self.failures = failures
        self.duration = duration
        self.serverPort = serverPort
        self.startTimestampNanoseconds = startTimestampNanoseconds
    }

    /// Observed equals expected: the scenario ran and nothing differed.
    public var passed: Bool { self.skipped == nil && self.failures.isEmpty }
}
