import ArgumentParser
import ResetLabSteady

/// `resetlab steady`: messaging that survives resets and restarts, exactly once and in order.
struct SteadyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steady",
        abstract: "Send messages that arrive exactly once and in order across resets, dead connections and restarts.",
        discussion: """
            Each message has a sequence number; the server acknowledges what it has
            written out, the client keeps everything unacknowledged and sends it again
            after reconnecting, and the server drops repeats. Heartbeats, TCP keepalive
            and TCP_USER_TIMEOUT catch a dead or half-open connection within
            --dead-after seconds. With --journal on both sides, even kill -9 of
            either process loses and repeats nothing.

              resetlab steady serve --listen 127.0.0.1:7400 --journal /var/tmp/srv >> received.txt
              resetlab steady send tcp://127.0.0.1:7400 --count 100000 --journal /var/tmp/cli
              tail -f app.log | resetlab steady send tcp://collector:7400

            Try it through the fault proxy ('resetlab proxy --help'): add reset_peer,
            crash_restart, idle_drop or half_close_reset and watch nothing get lost.
            """,
        subcommands: [SteadyServeCommand.self, SteadySendCommand.self]
    )
}

/// Liveness options both sides take.
struct SteadyLivenessOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Declare the peer dead after this long without a frame from it (heartbeats, TCP keepalive and TCP_USER_TIMEOUT follow).", valueName: "seconds"))
    var deadAfter: Double = 10

    func validate() throws {
        guard self.deadAfter >= 0.2, self.deadAfter <= 3_600 else {
            throw ValidationError("--dead-after takes seconds from 0.2 to 3600.")
        }
    }

    /// Heartbeats at a fifth of the budget, so a few may be lost before the peer counts as dead.
    var parameters: LivenessClock.Parameters { .init(heartbeatInterval: self.deadAfter / 5, deadAfter: self.deadAfter) }
}
