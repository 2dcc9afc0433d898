import Benchmark
import NIOCore
import NIOPosix
import ResetLabProxyServer
import ResetLabSteady
import ResetLabSteadyRuntime
import Synchronization

/// Steady messaging on loopback: acknowledged throughput, request/response latency, reconnection time
/// and exactly-once delivery under 1,000 injected resets, with a plain SwiftNIO length-prefixed stream
/// (no acknowledgements, no guarantee) as the baseline in the same run. scripts/bench-steady adds
/// ZeroMQ and prints the ratios.
let benchmarks: @Sendable () -> Void = {
    let batch = 100_000

    for onLoop in [false, true] {
        Benchmark(
            "Steady: 100,000 x 64 B messages, all acknowledged, " + (onLoop ? "tasks on the connection's loop" : "tasks on the global pool"),
            configuration: .init(metrics: [.wallClock, .cpuTotal], maxDuration: .seconds(20), maxIterations: 30)
        ) { benchmark in
            let rig = try await SteadyRig.start(consuming: true, onLoop: onLoop)
            let client = rig.client
            let payloads = (0..<batch).map { SteadyRig.payload($0) }
            try await withTaskExecutorPreference(onLoop ? client.executor : nil) {
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    for start in stride(from: 0, to: batch, by: 1_000) {
                        try await client.send(contentsOf: Array(payloads[start..<start + 1_000]))
                    }
                    try await client.waitUntilAcknowledged()
                }
                benchmark.stopMeasurement()
            }
            await rig.stop()
        }
    }

    Benchmark(
        "Baseline NIO: 100,000 x 64 B messages one-way, 4-byte length prefix",
        configuration: .init(metrics: [.wallClock, .cpuTotal], maxDuration: .seconds(20), maxIterations: 30)
    ) { benchmark in
        let baseline = try await LengthPrefixedBaseline.start()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try await baseline.send(batch, payloadSize: 64)
        }
        benchmark.stopMeasurement()
        await baseline.stop()
    }

    for onLoop in [false, true] {
        Benchmark(
            "Steady: request/response, 64 B, " + (onLoop ? "tasks on the connection's loop" : "tasks on the global pool"),
            configuration: .init(metrics: [.wallClock], maxDuration: .seconds(10), maxIterations: 100_000)
        ) { benchmark in
            let rig = try await SteadyRig.start(consuming: false)
            let server = rig.server
            let echo = Task {
                try await withTaskExecutorPreference(onLoop ? server.executor : nil) {
                    for try await message in server.messages {
                        try await server.send(message.payload, to: message.session)
                    }
                }
            }
            let client = rig.client
            try await withTaskExecutorPreference(onLoop ? client.executor : nil) {
                var replies = client.messages.makeAsyncIterator()
                let payload = SteadyRig.payload(1)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    try await client.send(payload)
                    blackHole(try await replies.next())
                }
                benchmark.stopMeasurement()
            }
            echo.cancel()
            await rig.stop()
        }
    }

    Benchmark(
        "Baseline NIO: 1,000 request/response round trips, 64 B, echo",
        configuration: .init(metrics: [.wallClock], maxDuration: .seconds(10), maxIterations: 1_000)
    ) { benchmark in
        let pingPong = try await PingPongBaseline.start()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try await pingPong.run(roundTrips: 1_000)
        }
        benchmark.stopMeasurement()
        await pingPong.stop()
    }

    Benchmark(
        "Steady: reconnect after the server listens again",
        configuration: .init(
            metrics: [.custom("reconnect (us)", polarity: .prefersSmaller, useScalingFactor: false)],
            maxDuration: .seconds(20), maxIterations: 40)
    ) { benchmark in
        var rig = try await SteadyRig.start(consuming: true)
        for _ in benchmark.scaledIterations {
            let port = rig.server.port
            await rig.server.close()
            try await Task.sleep(for: .milliseconds(300))
            let server = try await SteadyServer.bind(host: "127.0.0.1", port: port, configuration: rig.configuration)
            let listening = ContinuousClock.now
            try await rig.waitForConnected()
            let elapsed = ContinuousClock.now - listening
            benchmark.measurement(.custom("reconnect (us)", polarity: .prefersSmaller, useScalingFactor: false), Int(elapsed / .microseconds(1)))
            rig.server = server
        }
        await rig.stop()
    }

    Benchmark(
        "Steady: 1,000 reset_peer faults mid-stream",
        configuration: .init(
            metrics: [
                .custom("faults", polarity: .prefersLarger, useScalingFactor: false),
                .custom("lost", polarity: .prefersSmaller, useScalingFactor: false),
                .custom("duplicated", polarity: .prefersSmaller, useScalingFactor: false),
                .wallClock,
            ],
            maxDuration: .seconds(600), maxIterations: 1)
    ) { benchmark in
        let outcome = try await FaultRun.run(faults: 1_000)
        benchmark.measurement(.custom("faults", polarity: .prefersLarger, useScalingFactor: false), outcome.faults)
        benchmark.measurement(.custom("lost", polarity: .prefersSmaller, useScalingFactor: false), outcome.lost)
        benchmark.measurement(.custom("duplicated", polarity: .prefersSmaller, useScalingFactor: false), outcome.duplicated)
    }
}

/// A server and a client connected on loopback, with a consumer that takes (and so acknowledges)
/// everything the server receives.
struct SteadyRig {
    var server: SteadyServer
    let client: SteadyClient
    let configuration: SteadyConfiguration
    let consumer: Task<Void, Never>
    var connections: AsyncStream<SteadyEvent>.AsyncIterator

    static func payload(_ number: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt64(number))
        buffer.writeRepeatingByte(0x61, count: 56)
        return buffer
    }

    /// `consuming`: a task takes every message the server receives (and so acknowledges it).
    static func start(consuming: Bool, onLoop: Bool = false) async throws -> SteadyRig {
        let configuration = SteadyConfiguration()
        let server = try await SteadyServer.bind(host: "127.0.0.1", port: 0, configuration: configuration)
        let client = try SteadyClient(host: "127.0.0.1", port: server.port, configuration: configuration)
        let consumer = Task {
            guard consuming else { return }
            await withTaskExecutorPreference(onLoop ? server.executor : nil) {
                do {
                    for try await message in server.messages { blackHole(message) }
                } catch {}
            }
        }
        var rig = SteadyRig(
            server: server, client: client, configuration: configuration,
            consumer: consumer, connections: client.events.makeAsyncIterator())
        try await rig.waitForConnected()
        return rig
    }

    mutating func waitForConnected() async throws {
        while let event = await self.connections.next() {
            if case .connected = event { return }
        }
    }

    func stop() async {
        await self.client.close()
        await self.server.close()
    }
}

/// 1,000 resets through the ResetLab proxy while a client streams numbered messages; then every number
/// is checked: how many never arrived and how many arrived twice.
enum FaultRun {
    struct Outcome {
        var faults: Int
        var lost: Int
        var duplicated: Int
    }

    static func run(faults target: Int) async throws -> Outcome {
        let server = try await SteadyServer.bind(host: "127.0.0.1", port: 0)
        let proxy = try await ResetLabProxyServer.start(threads: 1)
        let listen = try await proxy.createProxy(name: "steady", upstream: "127.0.0.1:\(server.port)")
        let client = try SteadyClient(host: "127.0.0.1", port: Int(listen.split(separator: ":").last ?? "") ?? 0)
        var events = client.events.makeAsyncIterator()
        let received = Task {
            var seen: [UInt64] = []
            for try await message in server.messages {
                seen.append(message.payload.getInteger(at: message.payload.readerIndex, as: UInt64.self) ?? 0)
            }
            return seen
        }
        let stopSending = ManagedFlag()
        let sender = Task {
            var next = 0
            while !stopSending.isSet {
                try await client.send(contentsOf: (next..<next + 100).map(SteadyRig.payload))
                next += 100
                try await Task.sleep(for: .milliseconds(2))
            }
            return next
        }
        var faults = 0
        while faults < target {
            while let event = await events.next() {
                if case .connected = event { break }
            }
            try await proxy.addToxic(to: "steady", type: "reset_peer", name: "reset", attributes: ["timeout": 0])
            while let event = await events.next() {
                if case .disconnected = event { break }
            }
            try await proxy.removeToxic(from: "steady", named: "reset")
            faults += 1
        }
        stopSending.set()
        let sent = try await sender.value
        try await client.waitUntilAcknowledged()
        await client.close()
        await server.close()
        await proxy.shutdown()
        let seen = try await received.value
        var counts = [Int](repeating: 0, count: sent)
        for number in seen where Int(number) < sent { counts[Int(number)] += 1 }
        return Outcome(
            faults: faults, lost: counts.filter { $0 == 0 }.count,
            duplicated: counts.reduce(0) { $0 + max(0, $1 - 1) } + seen.filter { Int($0) >= sent }.count)
    }
}

/// A flag set once from one task and read from another.
final class ManagedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { self.value.store(true, ordering: .relaxed) }
    var isSet: Bool { self.value.load(ordering: .relaxed) }
}

/// The baseline: SwiftNIO with a 4-byte length prefix, one way, nothing acknowledged or kept.
final class LengthPrefixedBaseline: @unchecked Sendable {
    private let server: any Channel
    private let client: any Channel
    private let counter: FrameCounter

    private init(server: any Channel, client: any Channel, counter: FrameCounter) {
        self.server = server
        self.client = client
        self.counter = counter
    }

    static func start() async throws -> LengthPrefixedBaseline {
        let group = MultiThreadedEventLoopGroup.singleton
        let counter = FrameCounter(loop: group.next())
        let server = try await ServerBootstrap(group: counter.loop)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(counter.handler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ClientBootstrap(group: group.next())
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: server.localAddress?.port ?? 0).get()
        return LengthPrefixedBaseline(server: server, client: client, counter: counter)
    }

    /// Writes `count` frames and returns once the server has decoded them all.
    func send(_ count: Int, payloadSize: Int) async throws {
        let arrived = self.counter.expect(count)
        let client = self.client
        try await client.eventLoop.submit {
            var remaining = count
            while remaining > 0 {
                let frames = min(remaining, 1_024)
                var buffer = client.allocator.buffer(capacity: frames * (4 + payloadSize))
                for _ in 0..<frames {
                    buffer.writeInteger(UInt32(payloadSize))
                    buffer.writeRepeatingByte(0x61, count: payloadSize)
                }
                client.write(buffer, promise: nil)
                remaining -= frames
            }
            client.flush()
        }.get()
        try await arrived.get()
    }

    func stop() async {
        try? await self.client.close()
        try? await self.server.close()
    }
}

/// Counts length-prefixed frames arriving on the baseline's server, on one loop.
final class FrameCounter: @unchecked Sendable {
    let loop: any EventLoop
    private var remaining = 0
    private var promise: EventLoopPromise<Void>?

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func expect(_ count: Int) -> EventLoopFuture<Void> {
        self.loop.submit {
            let promise = self.loop.makePromise(of: Void.self)
            self.remaining = count
            self.promise = promise
            return promise
        }.flatMap { $0.futureResult }
    }

    func handler() -> ByteToMessageHandler<Decoder> { ByteToMessageHandler(Decoder(counter: self)) }

    fileprivate func counted() {
        self.remaining -= 1
        if self.remaining == 0 {
            self.promise?.succeed()
            self.promise = nil
        }
    }

    struct Decoder: ByteToMessageDecoder {
        typealias InboundOut = Never
        let counter: FrameCounter

        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
                buffer.readableBytes >= 4 + Int(length)
            else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: 4 + Int(length))
            self.counter.counted()
            return .continue
        }
    }
}

/// The latency baseline: plain SwiftNIO on loopback, an echo server and a client whose handler sends the
/// next 68-byte request as soon as the previous answer is complete (no task hops, no framing, no
/// acknowledgements).
final class PingPongBaseline: @unchecked Sendable {
    private let server: any Channel
    private let client: any Channel
    private let pinger: Pinger

    private init(server: any Channel, client: any Channel, pinger: Pinger) {
        self.server = server
        self.client = client
        self.pinger = pinger
    }

    static func start() async throws -> PingPongBaseline {
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try await ServerBootstrap(group: group.next())
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Echo()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let pinger = Pinger()
        let client = try await ClientBootstrap(group: group.next())
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(pinger) }
            }
            .connect(host: "127.0.0.1", port: server.localAddress?.port ?? 0).get()
        return PingPongBaseline(server: server, client: client, pinger: pinger)
    }

    func run(roundTrips: Int) async throws {
        let client = self.client
        let pinger = self.pinger
        try await client.eventLoop.flatSubmit { pinger.start(roundTrips, on: client) }.get()
    }

    func stop() async {
        try? await self.client.close()
        try? await self.server.close()
    }

    final class Echo: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(data, promise: nil)
        }
    }

    final class Pinger: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        static let size = 68
        private var remaining = 0
        private var received = 0
        private var done: EventLoopPromise<Void>?

        func start(_ roundTrips: Int, on channel: any Channel) -> EventLoopFuture<Void> {
            let promise = channel.eventLoop.makePromise(of: Void.self)
            self.done = promise
            self.remaining = roundTrips
            self.ping(channel)
            return promise.futureResult
        }

        private func ping(_ channel: any Channel) {
            self.received = 0
            channel.writeAndFlush(channel.allocator.buffer(repeating: 0x61, count: Self.size), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.received += Self.unwrapInboundIn(data).readableBytes
            guard self.received >= Self.size else { return }
            self.remaining -= 1
            if self.remaining > 0 {
                self.ping(context.channel)
            } else {
                self.done?.succeed()
                self.done = nil
            }
        }
    }
}
