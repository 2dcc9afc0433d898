import ArgumentParser
import Foundation
import ResetLabWatch
import ResetLabWatchRuntime

/// `resetlab watch`: every TCP reset on this host as it happens, with the kernel's reason.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Show every TCP reset on this host as it happens, with the kernel's own reason (root).",
        discussion: """
            Reads the kernel's TCP tracepoints (tcp_send_reset with its reason=,
            tcp_receive_reset, and with --states the state changes and retransmissions)
            through a private tracefs instance, which it removes on exit. For each reset:
            the time, sent or received, the two ends, the process holding the socket when
            it still exists, the TCP state, the reason in plain words and what the
            application at the other end sees. Ctrl-C (or --duration) ends it with a
            summary by reason, process and remote end.

              sudo resetlab watch
              sudo resetlab watch --port 25 --port 587
              sudo resetlab watch --host 10.0.0.5 --states
              sudo resetlab watch --json --duration 60 > resets.jsonl

            Needs root (tracefs). Kernels before 6.10 report resets without a reason.
            Exit status: 0 after Ctrl-C, SIGTERM or --duration; 1 when tracing cannot start.
            """
    )

    @Option(name: .customLong("port"), help: ArgumentHelp("Only connections with this port at either end (repeatable).", valueName: "port"))
    var ports: [Int] = []

    @Option(name: .customLong("host"), help: ArgumentHelp("Only connections with this address at either end (repeatable).", valueName: "address"))
    var hosts: [String] = []

    @Flag(help: "Also show state changes and retransmissions.")
    var states = false

    @Flag(help: "Print JSON Lines (the summary goes to stderr).")
    var json = false

    @Option(help: ArgumentHelp("Stop after this many seconds.", valueName: "seconds"))
    var duration: Double?

    func validate() throws {
        if let bad = self.ports.first(where: { !(1...65_535).contains($0) }) { throw ValidationError("--port takes 1-65535, got \(bad)") }
        if let duration = self.duration, duration <= 0 { throw ValidationError("--duration takes seconds above 0.") }
    }

    func run() async throws {
        let termination = TerminationSignal.install(for: [SIGINT, SIGTERM])
        let session: TracefsSession
        do {
            session = try TracefsSession()
        } catch {
            printError("resetlab watch: \(error)")
            throw ExitCode(1)
        }
        if !session.missingEvents.isEmpty {
            printError("resetlab watch: this kernel lacks \(session.missingEvents.joined(separator: ", ")); the rest is shown")
        }
        // From here on every event is kept in the instance's buffer until read.
        printError("resetlab watch: watching (tracefs instance \(session.directory)); Ctrl-C to stop")
        let printer = WatchPrinter(ports: Set(self.ports), hosts: Set(self.hosts), states: self.states, json: self.json)
        // Fired by the reading thread when it has cleaned up.
        let finished = TerminationSignal()
        Thread {
            session.read { printer.handle($0) }
            finished.fire()
        }.start()
        if let duration = self.duration {
            Task {
                try? await Task.sleep(for: .milliseconds(Int(duration * 1000)))
                termination.fire()
            }
        }
        await termination.wait()
        session.close()
        await finished.wait()
        let summary = printer.summary.text
        if self.json { printError(summary) } else { print("\n" + summary) }
    }
}

/// Filters, looks up owners, prints, and counts; called on the reading thread only.
private final class WatchPrinter: @unchecked Sendable {
    let ports: Set<Int>
    let hosts: Set<String>
    let states: Bool
    let json: Bool
    private let lock = NSLock()
    private var counted = WatchSummary()
    /// Wall-clock seconds minus the trace clock's (CLOCK_MONOTONIC) seconds.
    private let offset: Double

    init(ports: Set<Int>, hosts: Set<String>, states: Bool, json: Bool) {
        self.ports = ports
        self.hosts = hosts
        self.states = states
        self.json = json
        var monotonic = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        self.offset = Date().timeIntervalSince1970 - (Double(monotonic.tv_sec) + Double(monotonic.tv_nsec) / 1e9)
    }

    var summary: WatchSummary { self.lock.withLock { self.counted } }

    func handle(_ event: KernelEvent) -> Bool {
        switch event.kind {
        case .sentReset, .receivedReset: break
        case .stateChanged, .retransmitted: guard self.states else { return true }
        case .destroyed: return true
        }
        if !self.ports.isEmpty && !self.ports.contains(event.local.port) && !self.ports.contains(event.remote.port) { return true }
        if !self.hosts.isEmpty && !self.hosts.contains(event.local.host) && !self.hosts.contains(event.remote.host) { return true }
        let owner = SocketOwners.owner(local: event.local, remote: event.remote)
        let line = WatchLine(event: event, wallTime: event.timestamp + self.offset, owner: owner.map { ($0.pid, $0.command) })
        self.lock.withLock { self.counted.add(line) }
        // Unbuffered: each line reaches a pipe (`| grep`, a log) as it happens.
        FileHandle.standardOutput.write(Data(((self.json ? line.json.serialized() : line.text) + "\n").utf8))
        return true
    }
}
