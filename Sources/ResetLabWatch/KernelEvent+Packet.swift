/// Events from packet capture, the fallback when tracefs is out of reach.
extension KernelEvent {
    /// A reset seen on the wire: `.sentReset(reason: nil)` when this host sent it, `.receivedReset` when it
    /// arrived. What only the kernel's tracepoints know stays empty: the reason, the socket's `state`, its
    /// `cookie`; `runningCommand` is `""`, `runningPID` 0 and `inInterrupt` false (no task is known).
    /// - Parameters:
    ///   - reset: the decoded segment.
    ///   - direction: which way it went (`local` is this host's end).
    ///   - timestamp: when it was captured, in seconds on the clock of ``timestamp``.
    public init(_ reset: CapturedReset, direction: PacketDirection, timestamp: Double) {
        let ends = reset.ends(direction)
        self.kind = direction == .leaving ? .sentReset(reason: nil) : .receivedReset
        self.local = ends.local
        self.remote = ends.remote
        self.ends = ConnectionEnds(local: ends.local, remote: ends.remote)
        self.state = nil
        self.cookie = nil
        self.timestamp = timestamp
        self.runningCommand = ""
        self.runningPID = 0
        self.inInterrupt = false
    }

    /// A reset from a captured IP packet and its AF_PACKET packet type (`sll_pkttype`); `nil` unless it is a
    /// complete TCP segment with RST set that this host sent (`PACKET_OUTGOING`) or received
    /// (`PACKET_HOST`). Never traps, whatever the bytes.
    public init?(packet: UnsafeRawBufferPointer, packetType: Int32, timestamp: Double) {
        guard let direction = PacketDirection(packetType: packetType), let reset = CapturedReset(ipPacket: packet) else {
            return nil
        }
        self.init(reset, direction: direction, timestamp: timestamp)
    }
}
