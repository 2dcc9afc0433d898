/// A process that holds (or held) a socket, and how ResetLab knows.
public struct SocketOwner: Sendable, Hashable {
    /// How the owner was found.
    public enum Evidence: String, Sendable, Hashable {
        /// The socket's inode in the kernel's socket table, and that inode among the process's open
        /// descriptors (the way `ss -p` finds it): certain while the socket lived.
        case socketTable = "socket table"
        /// The socket table showed this process holding the connection before it closed it; the kernel
        /// then answered for the connection on its own (TIME_WAIT, or an orphaned socket).
        case closedItEarlier = "closed it earlier"
        /// The event fired inside a system call of this process on the socket (close, shutdown,
        /// setsockopt…), not in interrupt context: the process acted on the socket itself.
        case ownSystemCall = "own system call"
        /// On loopback, the kernel handles a packet in the sending process's context: the event fired while
        /// this process was sending the packet that caused it.
        case sentThePacket = "sent the packet (loopback)"
    }

    public var pid: Int32
    public var command: String
    public var evidence: Evidence

    public init(pid: Int32, command: String, evidence: Evidence) {
        self.pid = pid
        self.command = command
        self.evidence = evidence
    }

    /// `curl (pid 4242)`.
    public var label: String { "\(self.command) (pid \(self.pid))" }
}
