import Foundation
import ResetLabLab

/// A network namespace made for one scenario: its own loopback and its own nftables, so firewall rules
/// never touch the host. Deleting it removes its sockets and rules with it.
struct NetworkNamespace {
    /// Why a namespace could not be used.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Namespaces are named `resetlab-<pid>-<n>`, so stale ones from a killed run can be recognised.
    static let prefix = "resetlab-"

    let name: String

    /// Creates the namespace and brings its loopback up.
    init(index: Int, cleanup: LabCleanup) throws {
        self.name = "\(Self.prefix)\(getpid())-\(index)"
        let add = SystemTools.run(SystemTools.ip, ["netns", "add", self.name])
        guard add.status == 0 else {
            throw Failure(description: "ip netns add failed: \(add.error.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        cleanup.register(namespace: self.name)
        let up = SystemTools.run(SystemTools.ip, ["-n", self.name, "link", "set", "lo", "up"])
        guard up.status == 0 else {
            throw Failure(description: "could not bring up lo in \(self.name): \(up.error)")
        }
    }

    /// Installs a rule for TCP segments to `port`, in the namespace's own nftables.
    func install(_ rule: FirewallRule, port: UInt16) throws {
        guard let nft = SystemTools.nft else { throw Failure(description: "nft is not installed (apt-get install nftables)") }
        let ruleset = """
            table inet resetlab {
                chain input {
                    type filter hook input priority 0; policy accept;
                    tcp dport \(port) \(rule.nftStatement)
                }
            }
            """
        let result = SystemTools.run(SystemTools.ip, ["netns", "exec", self.name, nft, "-f", "-"], input: ruleset)
        guard result.status == 0 else { throw Failure(description: "nft failed: \(result.error)") }
    }

    static func delete(named name: String) {
        SystemTools.run(SystemTools.ip, ["netns", "delete", name])
    }

    /// Deletes namespaces left by lab runs whose process no longer exists (e.g. killed with SIGKILL).
    static func deleteStale() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        for entry in entries where entry.hasPrefix(Self.prefix) {
            let fields = entry.dropFirst(Self.prefix.count).split(separator: "-")
            guard let pid = fields.first.flatMap({ Int32($0) }), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { Self.delete(named: entry) }
        }
    }

    /// Whether this process can create namespaces and use nftables, or what is missing.
    static func unavailableReason() -> String? {
        if geteuid() != 0 {
            return "needs root: it builds a private network namespace with an nftables rule (try: sudo resetlab lab)"
        }
        if SystemTools.find("ip") == nil { return "needs iproute2's ip (apt-get install iproute2)" }
        if SystemTools.nft == nil { return "needs nftables (apt-get install nftables)" }
        return nil
    }
}
