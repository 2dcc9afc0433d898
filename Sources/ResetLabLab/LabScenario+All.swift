extension LabScenario {
    /// Every scenario, in the order `resetlab lab` runs them.
    public static let all: [LabScenario] = [
        .gracefulCloseThenWrite,
        .crashWithUnreadData,
        .crashAfterRead,
        .abortiveClose,
        .closeWithUnreadData,
        .dataAfterClose,
        .linger2Abort,
        .connectionRefused,
        .staleAfterRestart,
        .framingDeadlock,
        .framingLengthPrefix,
        .cleanShutdown,
        .blackhole,
        .keepaliveTimeout,
        .firewallReset,
    ]

    /// The scenario with this id.
    public static func named(_ id: String) -> LabScenario? {
        Self.all.first { $0.id == id }
    }
}
