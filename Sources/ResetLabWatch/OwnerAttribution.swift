/// Which process an event belongs to — the one holding this host's socket — and, when the other end is on
/// this host too, the process at the other end. From the owners learned from the socket table, then from
/// the context the event fired in.
public struct OwnerAttribution: Sendable, Equatable {
    /// The process holding this host's socket (`nil`: unknown, or no socket at all).
    public var owner: SocketOwner?
    /// The process at the other end, when that end is on this host (loopback).
    public var peer: SocketOwner?

    public init(owner: SocketOwner?, peer: SocketOwner?) {
        self.owner = owner
        self.peer = peer
    }

    /// Attributes `event`, asking `known` for owners learned from the socket table.
    ///
    /// - An event fired in a process's own system call (no interrupt flag: close, shutdown, setsockopt,
    ///   or a socket's owner processing its backlog) belongs to that process.
    /// - On loopback the kernel handles a packet in the sender's context, so a RST sent in softirq in
    ///   answer to a packet from the other end names the other end's process.
    /// - Kernel threads (`<idle>`, `ksoftirqd/N`, `kworker/…`) prove nothing and are never named.
    public init(_ event: KernelEvent, known: (ConnectionEnds) -> SocketOwner?) {
        let ends = event.ends
        let running = Self.isUserTask(event) ? (pid: event.runningPID, command: event.runningCommand) : nil
        var owner: SocketOwner?
        switch event.kind {
        case .sentReset(reason: .noSocket):
            // No socket at this end, whoever held these ends before.
            owner = nil
        case .sentReset(reason: .timeWaitSocket):
            owner = known(ends).map { SocketOwner(pid: $0.pid, command: $0.command, evidence: .closedItEarlier) }
        default:
            owner = known(ends)
        }
        if owner == nil, !event.inInterrupt, let running, Self.isSocketCall(event.kind) {
            owner = SocketOwner(pid: running.pid, command: running.command, evidence: .ownSystemCall)
        }
        var peer: SocketOwner?
        if event.remote.isLoopback {
            peer = known(ends.reversed)
            if peer == nil, event.inInterrupt, let running, Self.isCausedByPeerPacket(event.kind), running.pid != owner?.pid {
                peer = SocketOwner(pid: running.pid, command: running.command, evidence: .sentThePacket)
            }
        }
        self.init(owner: owner, peer: peer)
    }

    /// Sent resets and state changes happen in a system call on the socket when not in interrupt context.
    private static func isSocketCall(_ kind: KernelEvent.Kind) -> Bool {
        switch kind {
        case .sentReset, .receivedReset, .stateChanged: true
        case .retransmitted: false
        }
    }

    /// A RST sent in softirq in answer to a segment from the other end (not one sent by a timer:
    /// keepalive, linger, memory pressure). A RST received in softirq proves nothing: it may answer a
    /// segment of this end's own process (NO_SOCKET), which then is the task running.
    private static func isCausedByPeerPacket(_ kind: KernelEvent.Kind) -> Bool {
        switch kind {
        case .sentReset(let reason):
            switch reason {
            case .noSocket, .abortOnData, .timeWaitSocket, .invalidSYN, .invalidAckSequence, .paws, .tooOldAck, .ackUnsentData,
                .badFlags, .oldAck:
                return true
            default:
                return false
            }
        case .receivedReset, .stateChanged, .retransmitted:
            return false
        }
    }

    private static func isUserTask(_ event: KernelEvent) -> Bool {
        guard event.runningPID > 0 else { return false }
        let command = event.runningCommand
        return !["ksoftirqd/", "kworker/", "irq/", "migration/", "rcu", "cpuhp/"].contains { command.hasPrefix($0) }
    }
}
