/// One reproducible failure: a script of socket calls for a client and a server, what Linux must return
/// for each, and what must (or must not) appear on the wire.
public struct LabScenario: Sendable, Hashable, Identifiable {
    /// Where the scenario runs.
    public enum Topology: Sendable, Hashable {
        /// The host's loopback interface; no privilege needed (packet capture still needs it).
        case loopback
        /// The loopback of a network namespace made for this run, with nftables available; needs root.
        case namespace
    }

    /// Stable id used on the command line, e.g. `graceful-close-then-write`.
    public var id: String
    public var title: String
    /// Which of the stories in SCENARIOS.md it comes from.
    public var story: String
    /// What the scenario demonstrates, in two or three sentences.
    public var summary: String
    /// The `resetlab explain` conditions it demonstrates.
    public var explains: [String]
    public var topology: Topology
    public var steps: [LabStep]
    /// Checks on the captured packets (skipped, and said so, when packets could not be captured).
    public var packetExpectations: [PacketExpectation]
    /// Every RST the scenario makes a side send, in order, with who sends it and the kernel's reason (checked
    /// when the kernel's tracepoints can be read, i.e. as root). Empty: no RST at all.
    public var resetExpectations: [ResetExpectation]

    public init(
        id: String,
        title: String,
        story: String,
        summary: String,
        explains: [String],
        topology: Topology = .loopback,
        steps: [LabStep],
        packetExpectations: [PacketExpectation],
        resetExpectations: [ResetExpectation] = []
    ) {
        self.id = id
        self.title = title
        self.story = story
        self.summary = summary
        self.explains = explains
        self.topology = topology
        self.steps = steps
        self.packetExpectations = packetExpectations
        self.resetExpectations = resetExpectations
    }

    /// Whether the script restarts or kills the server (it then needs a separate server process).
    public var needsServerProcess: Bool {
        self.steps.contains { $0.action == .killServer || $0.action == .restartServer }
    }
}
