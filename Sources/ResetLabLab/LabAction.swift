/// Who performs a step of a scenario.
public enum LabActor: String, Sendable, Hashable, CaseIterable {
    /// The client program (a socket agent process).
    case client
    /// The server program (a socket agent process that can be killed and restarted).
    case server
    /// The lab itself: killing and starting processes, changing the firewall, waiting.
    case harness
}

/// A firewall rule the lab installs in a scenario's own network namespace (nftables, input hook).
public enum FirewallRule: String, Sendable, Hashable {
    /// Silently drop every segment to the server's port: a blackholed peer.
    case drop
    /// Answer every segment to the server's port with a forged RST (`reject with tcp reset`).
    case reset

    /// The nftables statement applied to TCP segments for the server's port.
    public var nftStatement: String {
        switch self {
        case .drop: "drop"
        case .reset: "reject with tcp reset"
        }
    }
}

/// One operation of a scenario's script.
public enum LabAction: Sendable, Hashable {
    /// Server: bind to 127.0.0.1 (a free port, or the scenario's port after a restart) and listen.
    case listen
    /// Server: stop listening (close the listening socket); the port is now free.
    case closeListener
    /// Client: connect to the server's port.
    case connect
    /// Client: close the current connection (if any) and connect again.
    case reconnect
    /// Server: accept one connection.
    case accept
    /// Send this text.
    case send(String)
    /// Send this many filler bytes.
    case sendBytes(Int)
    /// One `recv` of at most this many bytes.
    case receive(Int)
    /// Read once and count the complete length-prefixed messages (4-byte big-endian length, then payload).
    case receiveFrames
    /// Send one acknowledgement per message found by the last `receiveFrames`.
    case acknowledgeFrames
    /// `shutdown(SHUT_WR)`: send FIN, keep reading.
    case shutdownWrite
    /// `close()` the connection.
    case close
    /// `SO_LINGER {1, 0}`: the next close sends RST instead of FIN.
    case setAbortiveLinger
    /// `SO_RCVTIMEO`: a `recv` that waits longer fails with EAGAIN.
    case setReceiveTimeout(milliseconds: Int)
    /// `TCP_USER_TIMEOUT`: unacknowledged data for longer aborts the connection with ETIMEDOUT.
    case setUserTimeout(milliseconds: Int)
    /// Send filler bytes without blocking until the socket's send buffer is full (the peer reads none).
    case sendUntilFull
    /// `TCP_LINGER2`: how long an orphaned socket waits in FIN_WAIT2; negative: not at all, close() aborts.
    case setLinger2(seconds: Int)
    /// `SO_KEEPALIVE` with `TCP_KEEPIDLE`, `TCP_KEEPINTVL` and `TCP_KEEPCNT`.
    case setKeepalive(idleSeconds: Int, intervalSeconds: Int, probes: Int)
    /// Read the connection's TCP state and nothing else.
    case inspect
    /// Harness: SIGKILL the server process.
    case killServer
    /// Harness: start a new server process listening on the same port.
    case restartServer
    /// Harness: install a firewall rule for the server's port.
    case firewall(FirewallRule)
    /// Harness: let packets fly for a moment.
    case pause(milliseconds: Int)
    /// Harness: wait for the reply of a step started earlier without waiting (see ``LabStep/waits``).
    case finish(LabActor)

    /// The operation as a person would name it in a transcript.
    public var label: String {
        switch self {
        case .listen: "listen"
        case .closeListener: "close listener"
        case .connect: "connect"
        case .reconnect: "reconnect (new socket)"
        case .accept: "accept"
        case .send(let text): "send \(text.utf8.count) bytes \"\(Self.printable(text))\""
        case .sendBytes(let count): "send \(count) bytes"
        case .receive(let count): "recv (up to \(count) bytes)"
        case .receiveFrames: "recv and count length-prefixed messages"
        case .acknowledgeFrames: "send one ACK per message"
        case .shutdownWrite: "shutdown(SHUT_WR)"
        case .close: "close"
        case .setAbortiveLinger: "setsockopt SO_LINGER {1, 0}"
        case .setReceiveTimeout(let milliseconds): "setsockopt SO_RCVTIMEO \(milliseconds) ms"
        case .setUserTimeout(let milliseconds): "setsockopt TCP_USER_TIMEOUT \(milliseconds) ms"
        case .sendUntilFull: "send until the send buffer is full"
        case .setLinger2(let seconds): "setsockopt TCP_LINGER2 \(seconds)"
        case .setKeepalive(let idle, let interval, let probes):
            "setsockopt SO_KEEPALIVE: idle \(idle) s, interval \(interval) s, \(probes) probe\(probes == 1 ? "" : "s")"
        case .inspect: "read TCP state"
        case .killServer: "kill -9 the server process"
        case .restartServer: "restart the server on the same port"
        case .firewall(let rule): "firewall: \(rule.nftStatement) for the server port"
        case .pause(let milliseconds): "wait \(milliseconds) ms"
        case .finish(let actor): "\(actor.rawValue)'s pending call returns"
        }
    }

    private static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "." })
    }
}

/// One step of a scenario: who does what, and what Linux is expected to return.
public struct LabStep: Sendable, Hashable {
    public var actor: LabActor
    public var action: LabAction
    /// What the call must return for the scenario to pass; `nil` when the step is not checked.
    public var expectation: CallExpectation?
    /// `false` starts the call and moves on (the call blocks, e.g. a `recv` waiting for data);
    /// a later ``LabAction/finish(_:)`` step collects its result.
    public var waits: Bool
    /// Why the step is there, shown in the transcript.
    public var note: String?

    public init(
        _ actor: LabActor,
        _ action: LabAction,
        expect expectation: CallExpectation? = nil,
        waits: Bool = true,
        note: String? = nil
    ) {
        self.actor = actor
        self.action = action
        self.expectation = expectation
        self.waits = waits
        self.note = note
    }
}

extension LabStep {
    /// The usual opening: the server listens, the client connects, the server accepts.
    public static let openConnection: [LabStep] = [
        LabStep(.server, .listen, expect: .succeeds),
        LabStep(.client, .connect, expect: .succeeds),
        LabStep(.server, .accept, expect: .succeeds),
    ]
}
