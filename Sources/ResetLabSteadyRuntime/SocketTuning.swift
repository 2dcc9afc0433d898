import NIOCore
import ResetLabSteady

#if canImport(Glibc)
import Glibc
#endif

/// The socket options that let the kernel notice a dead peer on the same schedule as the heartbeats:
/// TCP keepalive for an idle connection, TCP_USER_TIMEOUT for one with data in flight, and no Nagle
/// delay for small messages.
enum SocketTuning {
    static func apply(to channel: any Channel, liveness: LivenessClock.Parameters) -> EventLoopFuture<Void> {
        let budget = liveness.deadAfter
        let probes = 3
        let interval = max(1, Int((budget / 4).rounded(.down)))
        let idle = max(1, Int((budget - Double(interval * probes)).rounded(.down)))
        let options = channel.syncOptions
        do {
            try options?.setOption(.socketOption(.so_keepalive), value: 1)
            try options?.setOption(.tcpOption(.tcp_nodelay), value: 1)
            try options?.setOption(.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPIDLE)), value: idle)
            try options?.setOption(.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPINTVL)), value: interval)
            try options?.setOption(.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPCNT)), value: probes)
            try options?.setOption(.tcpOption(NIOBSDSocket.Option(rawValue: TCP_USER_TIMEOUT)), value: Int(budget * 1000))
            return channel.eventLoop.makeSucceededVoidFuture()
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }
}
