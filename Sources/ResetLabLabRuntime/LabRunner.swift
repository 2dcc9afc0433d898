import CResetLabLinux
import Foundation
import ResetLabLab

/// Plays scenarios on real sockets: a client agent and a server agent (separate processes running
/// `resetlab lab-agent`), a capture agent on the loopback interface, and — for firewall scenarios — a
/// private network namespace. Records every call, its TCP state before, the packets, and (as root, from the
/// kernel's tracepoints) who sent each RST and why.
public struct LabRunner: Sendable {
    /// The `resetlab` binary to re-execute as agents (`/proc/self/exe` from the command line).
    public var agentExecutable: String
    public var cleanup: LabCleanup
    /// The longest any single call may take before the scenario is failed and its agents killed.
    public var callTimeout: Double = 5

    private let host = "127.0.0.1"

    public init(agentExecutable: String, cleanup: LabCleanup) {
        self.agentExecutable = agentExecutable
        self.cleanup = cleanup
    }

    /// Runs one scenario. Never throws: anything that goes wrong is reported in the result's failures.
    public func run(_ scenario: LabScenario, index: Int = 0) -> LabScenarioResult {
        if scenario.topology == .namespace {
            NetworkNamespace.deleteStale()
            if let reason = NetworkNamespace.unavailableReason() {
                return LabScenarioResult(scenario: scenario, skipped: reason, capture: .notCaptured(reason))
            }
        }
        let execution = ScenarioExecution(scenario: scenario, runner: self, index: index)
        return execution.run()
    }

    /// Runs several scenarios one after the other.
    public func run(_ scenarios: [LabScenario]) -> [LabScenarioResult] {
        scenarios.enumerated().map { self.run($1, index: $0) }
    }

    func startAgent(_ arguments: [String], namespace: String?) throws -> AgentProcess {
        try AgentProcess(executable: self.agentExecutable, arguments: arguments, namespace: namespace, cleanup: self.cleanup)
    }

    var address: String { self.host }
}

/// The mutable state of one scenario while it runs.
private final class ScenarioExecution {
    let scenario: LabScenario
    let runner: LabRunner
    let index: Int

    private var namespace: NetworkNamespace?
    private var agents: [LabActor: AgentProcess] = [:]
    private var capture: AgentProcess?
    private var captureStatus = CaptureStatus.notCaptured("capture never started")
    private var trace: KernelResetTrace?
    private var traceStatus = KernelTraceStatus.notTraced("tracing never started")
    /// The local ports of the client's connections, as its agent reported them.
    private var clientPorts: Set<UInt16> = []
    /// Whether the script could not be played to the end (its RSTs are then not checked: they never came).
    private var stoppedEarly = false
    private var histories: [LabActor: ConnectionHistory] = [:]
    private var pending: [LabActor: Int] = [:]
    private var records: [LabStepRecord] = []
    private var failures: [String] = []
    private var serverPort: UInt16 = 0
    private var lastFrames = 0
    /// Realtime, not monotonic: step times must be comparable with the packets' capture timestamps. Set again
    /// once tracing has started, so that its set-up does not count as the first step's time.
    private var start = rl_realtime_nanoseconds()

    init(scenario: LabScenario, runner: LabRunner, index: Int) {
        self.scenario = scenario
        self.runner = runner
        self.index = index
    }

    func run() -> LabScenarioResult {
        defer { self.tearDown() }
        do {
            if self.scenario.topology == .namespace {
                self.namespace = try NetworkNamespace(index: self.index, cleanup: self.runner.cleanup)
            }
            self.startTrace()
            self.start = rl_realtime_nanoseconds()
            self.agents[.client] = try self.runner.startAgent(["lab-agent"], namespace: self.namespace?.name)
            self.agents[.server] = try self.runner.startAgent(["lab-agent"], namespace: self.namespace?.name)
            for (position, step) in self.scenario.steps.enumerated() {
                try self.perform(step, at: position)
            }
        } catch {
            self.failures.append("the run stopped: \(error)")
            self.stoppedEarly = true
        }
        let packets = self.stopCapture()
        if case .captured = self.captureStatus {
            for expectation in self.scenario.packetExpectations where !expectation.isMet(by: packets) {
                self.failures.append("packets: expected \(expectation)")
            }
        }
        let resets = self.stopTrace(packets: packets)
        return LabScenarioResult(
            scenario: self.scenario,
            records: self.records,
            packets: packets,
            capture: self.captureStatus,
            resets: resets,
            kernelTrace: self.traceStatus,
            failures: self.failures,
            duration: self.elapsed,
            serverPort: self.serverPort,
            startTimestampNanoseconds: self.start
        )
    }

    private var elapsed: Double { Double(rl_realtime_nanoseconds() - self.start) / 1e9 }

    // MARK: Steps

    private func perform(_ step: LabStep, at position: Int) throws {
        switch step.action {
        case .pause(let milliseconds):
            usleep(UInt32(milliseconds) * 1_000)
            self.record(step, position, before: nil, outcome: .acted("waited \(milliseconds) ms"))
        case .killServer:
            self.agents[.server]?.kill()
            self.record(step, position, before: nil, outcome: .acted("server process killed (SIGKILL)"))
        case .restartServer:
            let agent = try self.runner.startAgent(["lab-agent"], namespace: self.namespace?.name)
            self.agents[.server] = agent
            let reply = try agent.perform(.listen(host: self.runner.address, port: self.serverPort), timeout: self.runner.callTimeout)
            if case .failed(let error) = reply.outcome { throw RunError("the restarted server could not listen: \(error)") }
            self.record(step, position, before: nil, outcome: .acted("new server process listening on \(self.serverPort)"))
        case .firewall(let rule):
            guard let namespace = self.namespace else { throw RunError("a firewall step needs a namespace scenario") }
            try namespace.install(rule, port: self.serverPort)
            self.record(step, position, before: nil, outcome: .acted("nft: tcp dport \(self.serverPort) \(rule.nftStatement)"))
        case .finish(let actor):
            guard let started = self.pending.removeValue(forKey: actor), let agent = self.agents[actor] else {
                throw RunError("step \(position + 1) finishes a call the \(actor.rawValue) never started")
            }
            let reply = try self.awaitReply(agent, actor: actor)
            self.record(step, position, actor: actor, before: reply.stateBefore, outcome: reply.outcome,
                        action: self.scenario.steps[started].action)
        default:
            try self.performSocketCall(step, at: position)
        }
    }

    private func performSocketCall(_ step: LabStep, at position: Int) throws {
        guard let agent = self.agents[step.actor] else { throw RunError("no \(step.actor.rawValue) agent") }
        let command = try self.command(for: step.action)
        try agent.send(command.line)
        guard step.waits else {
            self.pending[step.actor] = position
            self.record(step, position, before: nil, outcome: .acted("started; waiting…"), checked: false)
            return
        }
        let reply = try self.awaitReply(agent, actor: step.actor)
        switch (step.action, reply.port) {
        case (.listen, let port?):
            self.serverPort = port
            self.startCapture()
        case (.connect, let port?), (.reconnect, let port?):
            self.clientPorts.insert(port)
        default:
            break
        }
        if case .frames(let count) = reply.outcome { self.lastFrames = count }
        self.record(step, position, actor: step.actor, before: reply.stateBefore, outcome: reply.outcome, action: step.action)
    }

    private func awaitReply(_ agent: AgentProcess, actor: LabActor) throws -> AgentReply {
        do {
            return try agent.awaitReply(timeout: self.runner.callTimeout)
        } catch {
            agent.kill()
            throw RunError("the \(actor.rawValue)'s call did not return: \(error)")
        }
    }

    private func command(for action: LabAction) throws -> AgentCommand {
        switch action {
        case .listen: return .listen(host: self.runner.address, port: 0)
        case .closeListener: return .closeListener
        case .connect: return .connect(host: self.runner.address, port: self.serverPort, userTimeoutMilliseconds: 0)
        case .reconnect: return .reconnect(host: self.runner.address, port: self.serverPort)
        case .accept: return .accept
        case .send(let text): return .send(Array(text.utf8))
        case .sendBytes(let count): return .send([UInt8](repeating: 0x78, count: count))
        case .receive(let count): return .receive(count)
        case .receiveFrames: return .receiveFrames
        case .acknowledgeFrames: return .send(Array(String(repeating: "ACK;", count: self.lastFrames).utf8))
        case .shutdownWrite: return .shutdownWrite
        case .close: return .close
        case .setAbortiveLinger: return .setAbortiveLinger
        case .setReceiveTimeout(let milliseconds): return .setReceiveTimeout(milliseconds)
        case .setUserTimeout(let milliseconds): return .setUserTimeout(milliseconds)
        case .sendUntilFull: return .sendUntilFull
        case .setLinger2(let seconds): return .setLinger2(seconds)
        case .setKeepalive(let idle, let interval, let probes):
            return .setKeepalive(idle: idle, interval: interval, probes: probes)
        case .inspect: return .inspect
        case .pause, .killServer, .restartServer, .firewall, .finish:
            throw RunError("\(action.label) is not a socket call")
        }
    }

    // MARK: Recording

    private func record(
        _ step: LabStep,
        _ position: Int,
        actor: LabActor? = nil,
        before: TCPState?,
        outcome: CallOutcome,
        action: LabAction? = nil,
        checked: Bool = true
    ) {
        var winsock: WinsockTranslation.Result?
        if let actor, actor != .harness {
            var history = self.histories[actor] ?? ConnectionHistory()
            history.observe(stateBefore: before)
            winsock = WinsockTranslation.translate(outcome, history: history.translation)
            history.observe(action: action ?? step.action, outcome: outcome)
            self.histories[actor] = history
        }
        let met = checked ? step.expectation.map { $0.isMet(by: outcome, stateBefore: before) } : nil
        if met == false, let expectation = step.expectation {
            let who = actor ?? step.actor
            self.failures.append(
                "step \(position + 1) (\(who.rawValue): \(step.action.label)): expected \(expectation), got \(outcome.summary)"
            )
        }
        self.records.append(
            LabStepRecord(
                index: position,
                step: step,
                stateBefore: before,
                outcome: outcome,
                winsock: winsock,
                time: self.elapsed,
                met: met
            )
        )
    }

    // MARK: Capture

    private func startCapture() {
        guard self.capture == nil else { return }
        let interface = "lo"
        do {
            let agent = try self.runner.startAgent(
                ["lab-agent", "--capture", interface, "--port", String(self.serverPort)],
                namespace: self.namespace?.name
            )
            let line = try agent.readLine(timeout: self.runner.callTimeout)
            if line == "ready" {
                self.capture = agent
                self.captureStatus = .captured
            } else {
                let fields = line.split(separator: "\t")
                let name = fields.count > 1 ? String(fields[1]) : line
                self.captureStatus = .notCaptured(
                    "capturing needs root or CAP_NET_RAW: socket(AF_PACKET) on \(interface) failed with \(name)"
                )
                agent.finish()
            }
        } catch {
            self.captureStatus = .notCaptured("the capture agent did not start: \(error)")
        }
    }

    private func stopCapture() -> [LabPacket] {
        guard let capture = self.capture else { return [] }
        self.capture = nil
        usleep(20_000)  // let the last segments (an RST after a close) reach the capture
        var packets: [LabPacket] = []
        // The agent filters on the port only: the same port number on another loopback address (another
        // program's 127.0.0.3:P) is not this scenario's. Both ends are the runner's address.
        let address = self.runner.address.split(separator: ".").compactMap { UInt8($0) }
        func isOurs(_ bytes: [UInt8]) -> Bool {
            address.count == 4 && bytes.count >= 20 && bytes[12..<16].elementsEqual(address) && bytes[16..<20].elementsEqual(address)
        }
        do {
            try capture.send("stop")
            while true {
                let line = try capture.readLine(timeout: self.runner.callTimeout)
                if line == "end" { break }
                let fields = line.split(separator: "\t")
                guard fields.count == 3, fields[0] == "p", let nanoseconds = Int64(fields[1]),
                    let bytes = Hex.decode(String(fields[2])), isOurs(bytes), let segment = IPv4TCPParser.parse(bytes)
                else { continue }
                packets.append(
                    LabPacket(
                        from: segment.sourcePort == self.serverPort ? .server : .client,
                        flags: segment.flags,
                        sequenceNumber: segment.sequenceNumber,
                        acknowledgmentNumber: segment.acknowledgmentNumber,
                        payloadLength: segment.payloadLength,
                        timeToLive: segment.timeToLive,
                        timestampNanoseconds: nanoseconds,
                        ipPacket: bytes
                    )
                )
            }
        } catch {
            self.captureStatus = .notCaptured("the capture agent stopped answering: \(error)")
        }
        capture.finish()
        return packets
    }

    // MARK: The kernel's reasons

    private func startTrace() {
        switch KernelResetTrace.start() {
        case .success(let trace):
            self.runner.cleanup.register(trace: trace)
            self.trace = trace
            self.traceStatus = .traced
        case .failure(let failure):
            self.traceStatus = .notTraced(failure.description)
        }
    }

    /// Stops tracing (after the capture, so that the window covers every captured packet and the agents'
    /// teardown is left out), attributes every RST, and checks them against the scenario's expectations when
    /// the script ran to the end and the trace is complete.
    private func stopTrace(packets: [LabPacket]) -> [LabReset] {
        guard let trace = self.trace else { return [] }
        self.trace = nil
        let outcome = trace.finish()
        self.runner.cleanup.unregister(trace: trace)
        if let why = outcome.incomplete { self.traceStatus = .incomplete(why) }
        let captured = self.captureStatus == .captured
        let attribution = LabResetAttribution(
            host: self.runner.address,
            serverPort: self.serverPort,
            clientPorts: self.clientPorts.union(LabResetAttribution.clientPorts(in: packets)),
            clockOffsetNanoseconds: trace.clockOffsetNanoseconds,
            clockIsExact: trace.clockIsMonotonic
        )
        let complete = outcome.incomplete == nil
        let resets =
            self.serverPort == 0
            ? [] : attribution.resets(events: outcome.events, packets: captured ? packets : nil, complete: complete)
        let check = LabResetCheck(self.scenario.resetExpectations, resets: resets, captured: captured)
        let checked = !self.stoppedEarly && self.traceStatus == .traced
        if checked, let failure = check.failure(firewall: self.scenario.firewallRule) {
            self.failures.append(failure)
        }
        return resets
    }

    private func tearDown() {
        if let trace = self.trace {
            self.trace = nil
            _ = trace.finish(marking: false)
            self.runner.cleanup.unregister(trace: trace)
        }
        for agent in self.agents.values { agent.finish() }
        self.capture?.finish()
        if let namespace = self.namespace {
            NetworkNamespace.delete(named: namespace.name)
            self.runner.cleanup.unregister(namespace: namespace.name)
        }
    }
}

/// What one side's connection has been through, for the Winsock translation.
private struct ConnectionHistory {
    var translation = WinsockTranslation.History()
    var open = false
    var closedLocally = false

    mutating func observe(stateBefore: TCPState?) {
        guard let state = stateBefore else { return }
        if state.peerHasClosed { self.translation.peerFinSeen = true }
        if state == .close, self.open, !self.closedLocally { self.translation.resetSeen = true }
    }

    mutating func observe(action: LabAction, outcome: CallOutcome) {
        switch (action, outcome) {
        case (.connect, .done), (.reconnect, .done), (.accept, .done):
            self = ConnectionHistory(open: true)
        case (_, .endOfStream):
            self.translation.peerFinSeen = true
        case (.shutdownWrite, .done):
            self.translation.localShutdown = true
        case (.close, _):
            self.closedLocally = true
        default:
            break
        }
    }
}

/// A reason a scenario could not be played to the end.
private struct RunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
