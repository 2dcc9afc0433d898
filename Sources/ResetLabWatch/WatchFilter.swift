/// Which events `resetlab watch` shows: each non-empty set must match at either end of the connection.
public struct WatchFilter: Sendable, Equatable {
    public var ports: Set<Int>
    /// Addresses as printed (an IPv4-mapped address as its IPv4 form).
    public var hosts: Set<String>
    public var pids: Set<Int32>
    /// Process command names (`/proc/PID/comm`, at most 15 characters).
    public var commands: Set<String>

    public init(ports: Set<Int> = [], hosts: Set<String> = [], pids: Set<Int32> = [], commands: Set<String> = []) {
        self.ports = ports
        self.hosts = hosts
        self.pids = pids
        self.commands = commands
    }

    /// The address and port part of the filter.
    public func matches(_ event: KernelEvent) -> Bool {
        if !self.ports.isEmpty && !self.ports.contains(event.local.port) && !self.ports.contains(event.remote.port) { return false }
        if !self.hosts.isEmpty && !self.hosts.contains(event.local.host) && !self.hosts.contains(event.remote.host) { return false }
        return true
    }

    /// The process part: the process at this end or, on loopback, at the other end. An event whose
    /// processes are unknown never matches a process filter.
    public func matches(_ attribution: OwnerAttribution) -> Bool {
        let processes = [attribution.owner, attribution.peer].compactMap { $0 }
        if !self.pids.isEmpty && !processes.contains(where: { self.pids.contains($0.pid) }) { return false }
        if !self.commands.isEmpty && !processes.contains(where: { self.commands.contains($0.command) }) { return false }
        return true
    }
}
