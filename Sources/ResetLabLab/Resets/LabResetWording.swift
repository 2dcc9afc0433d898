/// How the reports put a ``LabReset`` into words, the same way everywhere.
///
/// ```
/// server kernel sent RST: reason TCP_ABORT_ON_CLOSE (the application closed its socket with data it had
///     not read: the kernel resets instead of a FIN); socket state TCP_CLOSE
/// RST in the server's name sent by the firewall (nft reject), not by a socket
/// ```
public struct LabResetWording: Sendable {
    /// The scenario's firewall rule, if it has one: a RST no socket sent is then said to be the firewall's.
    public var firewall: FirewallRule?

    public init(firewall: FirewallRule? = nil) {
        self.firewall = firewall
    }

    /// The wording for one scenario's resets.
    public init(_ scenario: LabScenario) {
        self.init(firewall: scenario.firewallRule)
    }

    /// The whole sentence: who sent it, the kernel's reason and what it means, the socket's state.
    public func sentence(_ reset: LabReset) -> String {
        let side = reset.from.rawValue
        switch reset.origin {
        case .kernel(let reason?, let state):
            return "\(side) kernel sent RST: reason \(reason.name) (\(reason.meaning))" + Self.state(state)
        case .kernel(nil, let state):
            return "\(side) kernel sent RST; this kernel gives no reason (Linux before 6.10)" + Self.state(state)
        case .notFromASocket:
            return "RST in the \(side)'s name sent by \(self.forger), not by a socket"
        case .unexplained:
            return "RST from the \(side): who sent it is unknown (the kernel's trace is incomplete)"
        }
    }

    /// A few words: `server TCP_ABORT_ON_CLOSE`, `server: the firewall (nft reject), not a socket`.
    public func brief(_ reset: LabReset) -> String {
        let side = reset.from.rawValue
        switch reset.origin {
        case .kernel(let reason?, _): return "\(side) \(reason.name)"
        case .kernel(nil, _): return "\(side) (no reason given)"
        case .notFromASocket: return "\(side): \(self.forger), not a socket"
        case .unexplained: return "\(side): unknown (incomplete trace)"
        }
    }

    /// The shortest form, for a label on the RST itself: `TCP_ABORT_ON_CLOSE`, `nft reject, not a socket`.
    public func tag(_ reset: LabReset) -> String {
        switch reset.origin {
        case .kernel(let reason?, _): reason.name
        case .kernel(nil, _): "no reason given"
        case .notFromASocket: self.firewall == .reset ? "nft reject, not a socket" : "not from a socket"
        case .unexplained: "sender unknown"
        }
    }

    /// Who forges a RST no socket sent.
    private var forger: String {
        self.firewall == .reset ? "the firewall (nft reject)" : "something on the way (no kernel on this host)"
    }

    /// `; socket state TCP_CLOSE`; nothing for the tracepoint's `UNKNOWN` (no socket: the reason says so) or when
    /// no state was printed.
    private static func state(_ state: String?) -> String {
        switch state {
        case nil: ""
        case "UNKNOWN"?: ""
        case let state?: "; socket state \(state)"
        }
    }
}

extension LabScenario {
    /// The firewall rule the scenario installs, if any.
    public var firewallRule: FirewallRule? {
        for step in self.steps {
            if case .firewall(let rule) = step.action { return rule }
        }
        return nil
    }
}
