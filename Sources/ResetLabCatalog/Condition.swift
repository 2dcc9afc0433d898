/// One thing that can go wrong, with every name and number it has on every platform and what to do about it.
public struct Condition: Sendable, Hashable, Identifiable {
    /// How much guidance the catalog holds for a condition.
    public enum Depth: String, Sendable, Hashable {
        /// Wire behaviour, ranked causes, how to confirm and how to fix.
        case deep
        /// A short, correct summary.
        case brief
    }

    /// Who acted to produce the condition.
    public enum Actor: String, Sendable, Hashable, CaseIterable {
        case peer
        case local
        case network
        case peerOrNetwork = "peer-or-network"
        case localStack = "local-stack"
        case resolver
        case none

        /// A plain sentence naming who acted.
        public var sentence: String {
            switch self {
            case .peer: "the other end of the connection"
            case .local: "this program or this host"
            case .network: "the network between the two hosts"
            case .peerOrNetwork: "the other end, or a device in between (firewall, NAT, proxy, antivirus)"
            case .localStack: "this host's own TCP/IP stack"
            case .resolver: "the name resolver (DNS)"
            case .none: "nobody: no packet was involved"
            }
        }
    }

    /// Stable identifier, e.g. `connection-reset`.
    public var id: String
    /// Short human title.
    public var title: String
    public var depth: Depth
    /// What the error means, in plain words.
    public var summary: String
    /// What happened on the wire, if anything.
    public var wire: String?
    /// Who acted.
    public var actor: Actor?
    /// Every name and number for this condition.
    public var codes: [ErrorCode]
    /// Texts that runtimes print for it.
    public var messages: [RuntimeMessage]
    /// Likely causes, most likely first.
    public var causes: [String]
    /// Steps that confirm the cause.
    public var confirm: [String]
    /// How to fix or avoid it.
    public var fix: [String]
    /// A capture filter showing the relevant packets.
    public var captureFilter: String?
    /// The `resetlab lab` scenarios that reproduce it.
    public var labScenarios: [String]
    /// The `resetlab probe` check that detects it.
    public var probeCheck: String?
    /// Related condition ids.
    public var seeAlso: [String]

    public init(
        id: String,
        title: String,
        depth: Depth,
        summary: String,
        wire: String? = nil,
        actor: Actor? = nil,
        codes: [ErrorCode] = [],
        messages: [RuntimeMessage] = [],
        causes: [String] = [],
        confirm: [String] = [],
        fix: [String] = [],
        captureFilter: String? = nil,
        labScenarios: [String] = [],
        probeCheck: String? = nil,
        seeAlso: [String] = []
    ) {
        self.id = id
        self.title = title
        self.depth = depth
        self.summary = summary
        self.wire = wire
        self.actor = actor
        self.codes = codes
        self.messages = messages
        self.causes = causes
        self.confirm = confirm
        self.fix = fix
        self.captureFilter = captureFilter
        self.labScenarios = labScenarios
        self.probeCheck = probeCheck
        self.seeAlso = seeAlso
    }

    /// The code people most often quote for this condition: Winsock first, then Linux, then anything.
    public var primaryCode: ErrorCode? {
        self.codes.min { $0.namespace < $1.namespace }
    }
}
