import ResetLabWatch

/// Picks out, from everything the kernel's TCP tracepoints reported while a scenario ran, the RSTs sent on the
/// scenario's own connections, and tells for every RST on the wire whether a socket sent it.
///
/// An event belongs to the scenario when both its ends are the lab's address, one end is the server's port and
/// the other one of the client's ports (a RST from the server's port is also taken when no client port is
/// known, as when the only connect was refused and nothing was captured). Events of other programs on the host
/// never match both ports.
///
/// Captured RSTs and `tcp_send_reset` events are paired side by side, first come first served: each RST takes
/// the earliest unpaired event from its side that happened before it was captured, give or take
/// ``tolerance``. The capture stamps a packet with the time the kernel saw it (or, in the first moments, the
/// time it was read, which may be much later), so "close" is never required. The tolerance is needed the
/// other way: for a RST the kernel sends on its own (an abort), `tcp_send_reset` fires only after the packet
/// went out, as long after as the sender was held up in between (the loopback's receive work done on the
/// spot, or the sender preempted on a busy machine). A captured RST that no event can explain was sent by no
/// socket, unless the trace is incomplete: then it stays unexplained. A `tcp_send_reset` with no captured
/// RST (nothing was captured, or the RST never reached the capture) is kept with the tracepoint's time.
public struct LabResetAttribution: Sendable {
    /// The address both ends use (`127.0.0.1`).
    public var host: String
    public var serverPort: UInt16
    /// Every local port the client's connections had.
    public var clientPorts: Set<UInt16>
    /// The packets' clock (CLOCK_REALTIME) minus the trace clock, in nanoseconds.
    public var clockOffsetNanoseconds: Int64
    /// Whether the trace clock is known to be CLOCK_MONOTONIC (the offset then holds to the microsecond). When it
    /// is not, times cannot be compared and RSTs are paired with events in order only.
    public var clockIsExact: Bool
    /// How much later than a RST's capture time its `tcp_send_reset` may be: the sender held up between sending
    /// and the tracepoint, plus the two clocks' error. Well under the time between a scenario's steps.
    public var tolerance: Int64 = 250_000_000

    public init(
        host: String,
        serverPort: UInt16,
        clientPorts: Set<UInt16>,
        clockOffsetNanoseconds: Int64,
        clockIsExact: Bool = true
    ) {
        self.host = host
        self.serverPort = serverPort
        self.clientPorts = clientPorts
        self.clockOffsetNanoseconds = clockOffsetNanoseconds
        self.clockIsExact = clockIsExact
    }

    /// The client's ports as the captured packets show them (the source port of what the client sent).
    public static func clientPorts(in packets: [LabPacket]) -> Set<UInt16> {
        Set(packets.filter { $0.from == .client }.compactMap { IPv4TCPParser.parse($0.ipPacket)?.sourcePort })
    }

    /// The side that sent this RST, or `nil` when the event is not a RST sent on one of the scenario's connections.
    public func sender(of event: KernelEvent) -> LabActor? {
        guard case .sentReset = event.kind, event.local.host == self.host, event.remote.host == self.host else {
            return nil
        }
        let local = UInt16(exactly: event.local.port)
        let remote = UInt16(exactly: event.remote.port)
        if local == self.serverPort, let remote, self.clientPorts.isEmpty || self.clientPorts.contains(remote) {
            return .server
        }
        if remote == self.serverPort, let local, self.clientPorts.contains(local) {
            return .client
        }
        return nil
    }

    /// The tracepoint's time on the packets' clock.
    public func timestampNanoseconds(of event: KernelEvent) -> Int64 {
        Int64((event.timestamp * 1e9).rounded()) &+ self.clockOffsetNanoseconds
    }

    /// Every RST of the scenario, in time order.
    /// - Parameters:
    ///   - events: what the tracepoints reported while the scenario ran (any events; others are ignored).
    ///   - packets: the captured packets, or `nil` when nothing was captured.
    ///   - complete: whether `events` holds every event up to the end; when not, a captured RST without one is
    ///     ``LabReset/Origin/unexplained``, not ``LabReset/Origin/notFromASocket``.
    public func resets(events: [KernelEvent], packets: [LabPacket]?, complete: Bool = true) -> [LabReset] {
        var sent: [(side: LabActor, event: KernelEvent, time: Int64)] = events.compactMap { event in
            self.sender(of: event).map { ($0, event, self.timestampNanoseconds(of: event)) }
        }
        sent.sort { $0.time < $1.time }
        var resets: [LabReset] = []
        for (index, packet) in (packets ?? []).enumerated() where packet.flags.contains(.rst) {
            let latest = packet.timestampNanoseconds &+ self.tolerance
            let pick = sent.firstIndex { $0.side == packet.from && (!self.clockIsExact || $0.time <= latest) }
            var reset = LabReset(
                from: packet.from,
                origin: complete ? .notFromASocket : .unexplained,
                timestampNanoseconds: packet.timestampNanoseconds,
                packetIndex: index
            )
            if let pick {
                reset.origin = Self.origin(of: sent[pick].event)
                reset.timestampNanoseconds = sent[pick].time
                sent.remove(at: pick)
            }
            resets.append(reset)
        }
        for unmatched in sent {
            let origin = Self.origin(of: unmatched.event)
            resets.append(LabReset(from: unmatched.side, origin: origin, timestampNanoseconds: unmatched.time))
        }
        return resets.enumerated().sorted {
            ($0.element.timestampNanoseconds, $0.offset) < ($1.element.timestampNanoseconds, $1.offset)
        }.map(\.element)
    }

    private static func origin(of event: KernelEvent) -> LabReset.Origin {
        guard case .sentReset(let reason) = event.kind else { return .notFromASocket }
        return .kernel(reason: reason, state: event.state)
    }
}
