import NIOCore
import NIOPosix
import ResetLabSteady

/// Everything a ``SteadyClient`` or ``SteadyServer`` can be tuned with. The defaults detect a dead peer
/// within about 10 s (idle or busy), reconnect within 0.1 s of the peer coming back, and hold at most
/// 64 MiB of unacknowledged messages.
public struct SteadyConfiguration: Sendable {
    /// The largest message payload, in bytes; a larger frame from the peer ends the connection before
    /// it is buffered, and a larger `send` throws ``SteadyError/Kind/tooLarge``. Default 16 MiB.
    public var maximumPayload: Int = 16 << 20
    /// How much may wait for acknowledgement before `send` waits (back-pressure).
    public var sendLimits = OutboundLog.Limits()
    /// Heartbeats and the dead-peer budget. TCP keepalive and TCP_USER_TIMEOUT are set from
    /// ``LivenessClock/Parameters/deadAfter`` as well, so the kernel gives up on the same schedule.
    public var liveness = LivenessClock.Parameters()
    /// Delays between reconnection attempts (a client's).
    public var backoff = ConnectionBackoff.Parameters()
    /// Acknowledge at once after this many messages were taken by the application. Default 256.
    public var acknowledgementBatch = 256
    /// Otherwise acknowledge within this many seconds, unless a frame sent meanwhile carried it.
    /// Default 0.001.
    public var acknowledgementDelay = 0.001
    /// Received messages the application has not taken yet, at most; beyond it reading stops and the
    /// sender waits. Default 8192.
    public var deliveryCapacity = 8192
    /// A directory for the write-ahead journal: with it, a client's unacknowledged messages and a
    /// server's delivery positions survive the process being killed. `nil`: kept in memory only.
    public var journalDirectory: String?
    /// For a durable server: decides, at start-up, whether a delivery that was under way when the
    /// previous process died did happen (see ``JournalState/Pending``). `nil`: assume it did not, and
    /// deliver the message again.
    public var resolvePendingDelivery: (@Sendable (SessionID, JournalState.Pending) -> Bool)?
    /// The event loops to run on. Default: NIO's shared singleton.
    public var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    public init() {}
}
