import ArgumentParser

/// `resetlab proxy`: a Toxiproxy-compatible fault-injecting proxy, and a client for its API.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "A Toxiproxy-compatible TCP proxy that injects resets, stalls and other faults.",
        discussion: """
            'resetlab proxy serve' runs the control API (Toxiproxy 2.x compatible, so
            existing Toxiproxy clients work unchanged). The other subcommands talk to it
            like toxiproxy-cli:

              resetlab proxy serve &
              resetlab proxy create -l 127.0.0.1:26379 -u 127.0.0.1:6379 redis
              resetlab proxy toxic add -t reset_peer -a timeout=500 redis
              resetlab proxy toxic add -t half_close_reset -a delay=100 redis
              resetlab proxy inspect redis
              resetlab proxy toggle redis

            Faults: latency, bandwidth, slow_close, timeout, reset_peer, slicer,
            limit_data, noop (Toxiproxy's), and half_close_reset, crash_restart,
            idle_reset, idle_drop, max_connections, reset_after_bytes (ResetLab's).
            """,
        subcommands: [
            ProxyServeCommand.self, ProxyListCommand.self, ProxyInspectCommand.self, ProxyCreateCommand.self,
            ProxyDeleteCommand.self, ProxyToggleCommand.self, ProxyToxicCommand.self,
        ]
    )
}
