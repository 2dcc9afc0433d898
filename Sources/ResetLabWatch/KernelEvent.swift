/// One TCP event from the kernel's tracepoints, from this host's point of view: which connection
/// (`local` is this host's end), what happened, and in which state.
public struct KernelEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `tcp:tcp_send_reset`: this host sent a RST. `reason` is `nil` on kernels before 6.10.
        case sentReset(reason: ResetReason?)
        /// `tcp:tcp_receive_reset`: a RST arrived for one of this host's sockets.
        case receivedReset
        /// `sock:inet_sock_set_state`: a TCP socket changed state.
        case stateChanged(from: String, to: String)
        /// `tcp:tcp_retransmit_skb`: a segment was sent again.
        case retransmitted
    }

    public var kind: Kind
    public let local: TraceEndpoint
    public let remote: TraceEndpoint
    /// The connection this event belongs to, from this host's socket (the ends as printed, made once).
    public let ends: ConnectionEnds
    /// The socket's TCP state when it happened (`UNKNOWN` when no socket matched), where printed.
    public var state: String?
    /// The kernel's socket cookie, where printed: it ties the events of one socket together.
    public var cookie: UInt64?
    /// Seconds since boot.
    public var timestamp: Double
    /// The task on the CPU when the event fired (often not the socket's owner: resets are softirq work).
    public var runningCommand: String
    public var runningPID: Int32
    /// Whether the event fired in interrupt context: then the running task is incidental (on loopback,
    /// usually the process that sent the packet being handled).
    public var inInterrupt: Bool

    /// Reads a trace line; `nil` for events other than the four above or lines missing their fields.
    public init?(_ line: TraceLine) {
        self.timestamp = line.timestamp
        self.runningCommand = line.command
        self.runningPID = line.pid
        self.inInterrupt = line.inInterrupt
        self.cookie = line["sock_cookie"].flatMap { UInt64($0, radix: 16) }
        switch line.event {
        case "tcp_send_reset":
            guard let source = line["src"].flatMap(TraceEndpoint.init(combined:)),
                let destination = line["dest"].flatMap(TraceEndpoint.init(combined:))
            else { return nil }
            self.kind = .sentReset(reason: line["reason"].map { ResetReason(name: $0) })
            self.local = source
            self.remote = destination
            self.ends = ConnectionEnds(local: source, remote: destination)
            self.state = line["state"].map(String.init)
        case "tcp_receive_reset", "inet_sock_set_state", "tcp_retransmit_skb":
            guard let (local, remote) = Self.ends(of: line) else { return nil }
            self.local = local
            self.remote = remote
            self.ends = ConnectionEnds(local: local, remote: remote)
            self.state = line["state"].map(String.init)
            switch line.event {
            case "tcp_receive_reset": self.kind = .receivedReset
            case "tcp_retransmit_skb": self.kind = .retransmitted
            default:
                guard line["protocol"] == "IPPROTO_TCP", let from = line["oldstate"], let to = line["newstate"] else { return nil }
                self.kind = .stateChanged(from: String(from), to: String(to))
                self.state = String(to)
            }
        default:
            return nil
        }
    }

    /// The `family sport dport saddr daddr saddrv6 daddrv6` fields: the v4 ones for AF_INET, else v6.
    private static func ends(of line: TraceLine) -> (TraceEndpoint, TraceEndpoint)? {
        guard let sport = line["sport"].flatMap({ Int($0) }), let dport = line["dport"].flatMap({ Int($0) }) else { return nil }
        let v4 = line["family"] == "AF_INET"
        guard let source = line[v4 ? "saddr" : "saddrv6"], let destination = line[v4 ? "daddr" : "daddrv6"] else { return nil }
        return (TraceEndpoint(address: String(source), port: sport), TraceEndpoint(address: String(destination), port: dport))
    }
}
