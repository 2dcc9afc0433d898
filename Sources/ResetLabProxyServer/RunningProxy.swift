#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ResetLabProxy

/// One proxy while it runs: its listening socket, its live connections, its toxics and counters.
/// Connections live on many event loops, so the shared parts sit behind a lock.
final class RunningProxy: Sendable {
    let definition: ProxyDefinition
    let metrics: ProxyMetrics
    private let group: EventLoopGroup
    private let upstreamHost: String
    private let upstreamPort: Int
    private let state = NIOLockedValueBox(State())

    private struct State {
        var listener: Channel?
        var listenHost = "127.0.0.1"
        var listenPort = 0
        var connections: [ObjectIdentifier: ProxiedConnection] = [:]
        var toxics: [ToxicDefinition] = []
        var crashUntil: NIODeadline?
        var connectionLimit: ConnectionLimitFault?
        var stopped = false
    }

    init(definition: ProxyDefinition, toxics: [ToxicDefinition], group: EventLoopGroup, metrics: ProxyMetrics) throws {
        self.definition = definition
        self.group = group
        self.metrics = metrics
        let (host, port) = try ProxyAddress.split(definition.upstream)
        self.upstreamHost = host
        self.upstreamPort = port
        self.state.withLockedValue { $0.toxics = toxics }
    }

    /// The address the listener is bound to, `host:port`.
    var listenAddress: String {
        self.state.withLockedValue { "\($0.listenHost):\($0.listenPort)" }
    }

    // MARK: Listening

    /// Binds the listener. Returns the resolved address (`127.0.0.1:0` becomes the real port).
    func start() async throws -> String {
        let (host, port) = try ProxyAddress.split(self.definition.listen)
        let channel = try await self.bind(host: host, port: port)
        let boundPort = channel.localAddress?.port ?? port
        self.state.withLockedValue {
            $0.listener = channel
            $0.listenHost = host
            $0.listenPort = boundPort
        }
        self.updateToxics(self.state.withLockedValue { $0.toxics })
        return "\(host):\(boundPort)"
    }

    private func bind(host: String, port: Int) async throws -> Channel {
        let bootstrap = ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // Reads grow up to 1 MiB under a bulk stream (NIO's default stops at 64 KiB): a quarter of the
            // system calls, about 1.4x the single-stream throughput on loopback; idle ones stay at 2 KiB.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 1 << 20))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try self.accepted(channel) }
            }
        do {
            return try await bootstrap.bind(host: host, port: port).get()
        } catch {
            let message = "listen tcp \(host):\(port): \(ProxyAddress.describe(error))"
            if (error as? IOError)?.errnoCode == EADDRINUSE { throw ProxyBackendError.addressInUse(message) }
            throw ProxyBackendError.listen(message)
        }
    }

    /// Sets up a new client connection (on its own loop). Decided by the connection limit, if any.
    private func accepted(_ channel: Channel) throws {
        let connection = ProxiedConnection(client: channel, proxy: self)
        let (toxics, decision) = self.state.withLockedValue { state -> ([ToxicDefinition], ConnectionLimitDecision) in
            let decision = state.connectionLimit?.connectionAccepted(openConnections: state.connections.count) ?? .allow
            if decision == .allow { state.connections[ObjectIdentifier(connection)] = connection }
            return (state.toxics, decision)
        }
        guard decision == .allow else {
            self.metrics.faultFired(.maxConnections)
            ProxiedConnection.reset(channel)
            return
        }
        self.metrics.connectionOpened()
        try channel.pipeline.syncOperations.addHandler(RelayHandler(direction: .upstream, connection: connection))
        connection.start(upstreamHost: self.upstreamHost, upstreamPort: self.upstreamPort, toxics: toxics)
        // The listener is re-checked once the channel is active (ProxiedConnection.clientActive()): closing
        // it from this initializer makes NIO's ServerBootstrap close the channel just accepted.
    }

    func connectionFinished(_ connection: ProxiedConnection) {
        let removed = self.state.withLockedValue { $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
        if removed != nil { self.metrics.connectionClosed() }
        self.refreshListening()
    }

    // MARK: Toxics

    /// Applies a new toxic list to every live connection (on its own loop) and to future ones.
    func updateToxics(_ toxics: [ToxicDefinition]) {
        let (connections, newCrash) = self.state.withLockedValue { state -> ([ProxiedConnection], ToxicDefinition?) in
            let hadCrash = Set(state.toxics.filter { $0.kind == .crashRestart }.map(\.name))
            state.toxics = toxics
            if let limit = toxics.first(where: { $0.kind == .maxConnections }) {
                state.connectionLimit = ConnectionLimitFault(connections: limit.value("connections"), refuse: limit.value("refuse"))
            } else {
                state.connectionLimit = nil
            }
            let crash = toxics.first { $0.kind == .crashRestart && !hadCrash.contains($0.name) }
            return (Array(state.connections.values), crash)
        }
        for connection in connections {
            connection.eventLoop.execute { connection.apply(toxics) }
        }
        if let crash = newCrash { self.crash(crash) }
        self.refreshListening()
    }

    /// `crash_restart`: reset every connection, refuse new ones for the duration, then listen again.
    private func crash(_ toxic: ToxicDefinition) {
        var fault = CrashRestartFault(duration: toxic.value("duration"))
        let now = ProxyInstant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds))
        self.metrics.faultFired(.crashRestart)
        for action in fault.attached(now: now) {
            switch action {
            case .resetAllConnections:
                let connections = self.state.withLockedValue { Array($0.connections.values) }
                for connection in connections { connection.eventLoop.execute { connection.reset() } }
            case .stopListening:
                self.state.withLockedValue { $0.crashUntil = .distantFuture }
            case .wake(let at):
                let deadline = NIODeadline.uptimeNanoseconds(UInt64(max(0, at.nanoseconds)))
                let pending = fault
                self.group.next().scheduleTask(deadline: deadline) {
                    var restart = pending
                    for next in restart.timerFired(now: at) where next == .startListening {
                        self.state.withLockedValue { $0.crashUntil = nil }
                        self.refreshListening()
                    }
                }
            case .startListening:
                self.state.withLockedValue { $0.crashUntil = nil }
            }
        }
        self.refreshListening()
    }

    /// Opens or closes the listener to match the crash and connection-limit faults: a closed listener makes
    /// the kernel refuse new connections (RST to the SYN), exactly like a server that is down or full.
    func refreshListening() {
        enum Change { case open, close, none }
        let change: Change = self.state.withLockedValue { state in
            guard !state.stopped else { return .none }
            let crashed = state.crashUntil != nil
            let full = state.connectionLimit.map { !$0.listenerShouldAccept(openConnections: state.connections.count) } ?? false
            let wantOpen = !crashed && !full
            if wantOpen && state.listener == nil { return .open }
            if !wantOpen && state.listener != nil { return .close }
            return .none
        }
        switch change {
        case .none:
            return
        case .close:
            let listener = self.state.withLockedValue { state -> Channel? in
                defer { state.listener = nil }
                return state.listener
            }
            listener?.close(promise: nil)
        case .open:
            let (host, port) = self.state.withLockedValue { ($0.listenHost, $0.listenPort) }
            Task {
                guard let channel = try? await self.bind(host: host, port: port) else { return }
                let keep = self.state.withLockedValue { state -> Bool in
                    guard state.listener == nil, !state.stopped else { return false }
                    state.listener = channel
                    return true
                }
                if !keep { try? await channel.close() }
            }
        }
    }

    // MARK: Stopping

    /// Closes the listener (new connects are refused) and every live connection (FIN).
    func stop() async {
        let (listener, connections) = self.state.withLockedValue { state -> (Channel?, [ProxiedConnection]) in
            state.stopped = true
            defer { state.listener = nil }
            return (state.listener, Array(state.connections.values))
        }
        try? await listener?.close()
        for connection in connections { connection.eventLoop.execute { connection.close() } }
    }
}
