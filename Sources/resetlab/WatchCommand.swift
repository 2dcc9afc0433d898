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
            the time, sent or received, the two ends, the process holding the socket (and,
            on loopback, the process at the other end), the TCP state, the reason in plain
            words and what the application at the other end sees. Ctrl-C (or --duration)
            ends it with a summary by reason, process and remote end.

            Processes are found the way 'ss -p' finds them: the socket table (inet_diag)
            gives a connection's inode, /proc/PID/fd the process. A reset socket is gone
            from the table when its event is read, so owners are learned while connections
            live (read again within 0.2 s of a new connection, and every second): a
            connection reset within its first fraction of a second may show 'unknown'.
            Only this network namespace's sockets are in the table.

              sudo resetlab watch
              sudo resetlab watch --port 25 --port 587
              sudo resetlab watch --host 10.0.0.5 --states
              sudo resetlab watch --comm postfix --comm smtpd
              sudo resetlab watch --json --duration 60 > resets.jsonl

            Needs root (tracefs). Without tracefs it falls back to capturing RSTs on the
            wire with AF_PACKET (CAP_NET_RAW): no reasons, no states. Kernels before 6.10
            report resets without a reason.
            Exit status: 0 after Ctrl-C, SIGTERM, --duration or a closed output pipe; 1
            when neither tracefs nor AF_PACKET can be used.
            """
    )

    @Option(name: .customLong("port"), help: ArgumentHelp("Only connections with this port at either end (repeatable).", valueName: "port"))
    var ports: [Int] = []

    @Option(name: .customLong("host"), help: ArgumentHelp("Only connections with this address at either end (repeatable).", valueName: "address"))
    var hosts: [String] = []

    @Option(name: .customLong("pid"), help: ArgumentHelp("Only resets of this process's connections, at either end on this host (repeatable).", valueName: "pid"))
    var pids: [Int32] = []

    @Option(name: .customLong("comm"), help: ArgumentHelp("Only resets of processes with this command name (as in /proc/PID/comm; repeatable).", valueName: "name"))
    var commands: [String] = []

    @Flag(help: "Show each reset with the connection's last state changes and retransmissions before it.")
    var states = false

    @Flag(help: "Capture RSTs on the wire (AF_PACKET) instead of reading the kernel's tracepoints: no reasons and no states, what watch falls back to without tracefs.")
    var capturePackets = false

    @Flag(help: "Print JSON Lines (the summary goes to stderr).")
    var json = false

    @Option(help: ArgumentHelp("Stop after this many seconds.", valueName: "seconds"))
    var duration: Double?

    func validate() throws {
        if let bad = self.ports.first(where: { !(1...65_535).contains($0) }) { throw ValidationError("--port takes 1-65535, got \(bad)") }
        if let bad = self.pids.first(where: { $0 <= 0 }) { throw ValidationError("--pid takes a process id above 0, got \(bad)") }
        if let duration = self.duration, duration <= 0 { throw ValidationError("--duration takes seconds above 0.") }
    }

    func run() async throws {
        let termination = TerminationSignal.install(for: [SIGINT, SIGTERM])
        // A closed pipe (`| head`) ends the watch like Ctrl-C, with the instance removed, not by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let (session, origin) = try self.openSource()
        let owners = SocketOwners()
        owners.startRefreshing()
        defer { owners.stop() }
        let filter = WatchFilter(ports: Set(self.ports), hosts: Set(self.hosts), pids: Set(self.pids), commands: Set(self.commands))
        let printer = WatchPrinter(filter: filter, owners: owners, origin: origin, states: self.states, json: self.json) { termination.fire() }
        // Fired by the reading thread once its read runs (its first batch end, within 0.1 s), and when it has
        // cleaned up. The session is closed only once the read runs: a read that begins after the close
        // reads nothing, and a Ctrl-C soon after the start would lose what was already buffered.
        let reading = TerminationSignal()
        let finished = TerminationSignal()
        Thread {
            session.read(batchEnd: {
                reading.fire()
                printer.endOfBatch(readThrough: $0)
            }) { printer.handle($0) }
            // A received reset still held back, and the last lines, are written.
            printer.finish()
            reading.fire()
            finished.fire()
        }.start()
        if let duration = self.duration {
            Task {
                try? await Task.sleep(for: .milliseconds(Int(duration * 1000)))
                termination.fire()
            }
        }
        await termination.wait()
        await reading.wait()
        session.close()
        await finished.wait()
        var summary = printer.summary.text
        let lost = session.lostEvents
        if lost > 0 {
            let what = origin == .tracepoints ? "events" : "packets"
            summary += "\n\(lost) \(what) lost by the kernel: this watcher fell behind (its buffer was full)"
        }
        if self.json { printError(summary) } else { print("\n" + summary) }
    }

    /// The kernel's tracepoints; without tracefs (or with --capture-packets), RSTs captured on the wire.
    /// Says on stderr what is missing and what is shown instead; once it returns, every event is kept
    /// in the kernel's buffer until read.
    private func openSource() throws -> (ResetEventSource, WatchLine.Origin) {
        var tracefsFailure: String?
        if !self.capturePackets {
            do {
                let session = try TracefsSession(stateChanges: self.states ? .all : .connections)
                if !session.missingEvents.isEmpty {
                    printError("resetlab watch: this kernel lacks \(session.missingEvents.joined(separator: ", ")); the rest is shown")
                }
                if !session.reportsReasons {
                    printError("resetlab watch: this kernel's tcp_send_reset has no reason field (added in Linux 6.10): resets are shown without the kernel's reason")
                }
                printError("resetlab watch: watching (tracefs instance \(session.directory)); Ctrl-C to stop")
                return (session, .tracepoints)
            } catch {
                tracefsFailure = error.description
                printError("resetlab watch: \(error)")
            }
        }
        do {
            let capture = try PacketResetCapture()
            if tracefsFailure != nil {
                printError("resetlab watch: falling back to capturing RSTs on the wire (AF_PACKET): no kernel reasons, no processes for most resets")
            }
            if self.states {
                printError("resetlab watch: --states shows nothing without the kernel's tracepoints (packets carry no socket states)")
            }
            printError("resetlab watch: watching (AF_PACKET, RSTs on every interface); Ctrl-C to stop")
            return (capture, .packetCapture)
        } catch {
            printError("resetlab watch: \(error)")
            if tracefsFailure != nil { printError("resetlab watch: neither tracefs nor AF_PACKET is available: nothing to watch with") }
            throw ExitCode(1)
        }
    }
}

/// Filters, attributes, prints, and counts; called on the reading thread only.
private final class WatchPrinter: @unchecked Sendable {
    let filter: WatchFilter
    let owners: SocketOwners
    let states: Bool
    let json: Bool
    private let lock = NSLock()
    private var counted = WatchSummary()
    /// Every connection's last state changes: shown with --states, and the state a received reset hit.
    private var trail = ConnectionTrail()
    private var selfAborts = SelfAbortFilter()
    /// Lines not written yet: written at the end of each batch of events (one write for a burst).
    private var output: [UInt8] = []
    private var outputBroken = false
    private let onOutputClosed: @Sendable () -> Void
    /// Wall-clock seconds minus the trace clock's (CLOCK_MONOTONIC) seconds.
    private let offset: Double

    let origin: WatchLine.Origin

    init(
        filter: WatchFilter, owners: SocketOwners, origin: WatchLine.Origin, states: Bool, json: Bool,
        onOutputClosed: @escaping @Sendable () -> Void
    ) {
        self.onOutputClosed = onOutputClosed
        self.origin = origin
        self.filter = filter
        self.owners = owners
        self.states = states
        self.json = json
        var monotonic = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        self.offset = Date().timeIntervalSince1970 - (Double(monotonic.tv_sec) + Double(monotonic.tv_nsec) / 1e9)
    }

    var summary: WatchSummary { self.lock.withLock { self.counted } }

    func handle(_ event: KernelEvent) -> Bool {
        switch event.kind {
        case .sentReset, .receivedReset:
            break
        case .stateChanged(_, let to):
            if ["TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_ESTABLISHED"].contains(to) { self.owners.noteNewConnection() }
            if self.filter.matches(event) { self.trail.record(event) }
            return true
        case .retransmitted:
            if self.filter.matches(event) { self.trail.record(event) }
            return true
        }
        guard self.filter.matches(event) else { return true }
        var event = event
        // tcp_receive_reset prints no state: the connection's last one is known from its state changes.
        if event.state == nil { event.state = self.trail.lastState(of: event.ends) }
        for shown in self.selfAborts.pass(event) { self.show(shown) }
        return true
    }

    /// Shows the received resets whose wait for a self-abort is over by `readThrough` (a time before which
    /// every event has been read; nil when unknown), and writes what is kept.
    ///
    /// The reader's clock is not enough: a reader delayed for longer than the wait would show a received
    /// reset whose self-abort is already stamped in the kernel's buffer but not read yet.
    func endOfBatch(readThrough: Double?) {
        if let readThrough {
            for shown in self.selfAborts.flush(now: readThrough) { self.show(shown) }
        }
        self.flush()
    }

    /// Shows everything still held back and writes it: at the end.
    func finish() {
        for shown in self.selfAborts.flushAll() { self.show(shown) }
        self.flush()
    }

    /// Writes the lines kept so far to stdout; when nobody reads it any more, ends the watch.
    private func flush() {
        var written = 0
        while written < self.output.count && !self.outputBroken {
            let count = self.output[written...].withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                self.outputBroken = true
                self.onOutputClosed()
                break
            }
            written += count
        }
        self.output.removeAll(keepingCapacity: true)
    }

    private func show(_ event: KernelEvent) {
        var attribution = OwnerAttribution(event) { self.owners.owner(of: $0) }
        // The trace prints `<...>` for a task whose name it did not keep: ask /proc while it lives.
        for keyPath in [\OwnerAttribution.owner, \OwnerAttribution.peer] {
            if let found = attribution[keyPath: keyPath], found.command == "<...>", let command = SocketOwners.command(of: found.pid) {
                attribution[keyPath: keyPath]?.command = command
            }
        }
        guard self.filter.matches(attribution) else { return }
        // A received reset is shown after the next event: state changes recorded since are not before it.
        let trail = self.trail.take(for: event.ends).filter { $0.timestamp <= event.timestamp }
        let line = WatchLine(event: event, wallTime: event.timestamp + self.offset, attribution: attribution, trail: self.states ? trail : [], origin: self.origin)
        self.lock.withLock { self.counted.add(line) }
        if self.json {
            line.json.write(to: &self.output)
        } else {
            self.output.append(contentsOf: line.text.utf8)
        }
        self.output.append(UInt8(ascii: "\n"))
        if self.output.count >= 1 << 16 { self.flush() }
    }
}
