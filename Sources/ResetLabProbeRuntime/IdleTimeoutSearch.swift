import ResetLabProbe

#if canImport(Glibc)
import Glibc
#endif

/// Finds after how long an idle connection is killed, and how, in barely longer than the timeout itself.
///
/// One connection per period of an ``IdleLadder`` is opened at once and taken through the protocol's
/// greeting, then left idle until its own period has passed, when it asks "still there?": a `NOOP`
/// (SMTP, FTP) or a `HEAD` request (HTTP) sent at that moment, or for plain TCP and TLS a TCP keepalive
/// probe (whole seconds only). A device in between that forgot the connection answers with RST or not at
/// all; the shortest period that died and the longest that survived bracket the timeout within one step
/// of the ladder. A server
/// (or a device) that closes idle connections on its own timer does so on every connection at once, with
/// FIN or RST, and that moment is the timeout itself.
enum IdleTimeoutSearch {
    /// Keepalive probes after the first, and their spacing: a silent drop is known this long after it.
    static let retryInterval = 1.0
    static let retries: Int32 = 2

    struct Watched {
        var socket: ProbeSocket
        var period: Double
        /// When it went quiet (greeting done): its idle time, and every time below, counts from here.
        var readyAt: Double
        /// What it sends after `period` of silence; `nil` when TCP keepalive asks instead.
        var poke: [UInt8]?
        /// Idle time at which it was poked.
        var pokedAt: Double?
        /// It answered its poke: alive at its period, no longer watched.
        var answered = false
        var ended: (at: Double, how: Breakage, said: String?)?

        var watching: Bool { self.ended == nil && !self.answered }
    }

    /// The "still there?" of each protocol, or `nil` to use TCP keepalive.
    static func poke(for session: ProbeSession) -> [UInt8]? {
        switch session.target.scheme {
        case .smtp, .smtps, .ftp: return Array("NOOP\r\n".utf8)
        case .http, .https:
            let host = session.target.host.contains(":") ? "[\(session.target.host)]" : session.target.host
            return Array("HEAD \(session.target.path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: resetlab-probe\r\n\r\n".utf8)
        case .tcp, .tls, .ftps: return nil
        }
    }

    static func run(_ session: inout ProbeSession, address: ProbeAddress) {
        let ladder = IdleLadder(shortest: 1, longest: session.options.idleLimit, ratio: 1.2, connections: session.options.idleConnections)
        var watched: [Watched] = []
        // The longest period first: if the server allows only a few connections, one of them still
        // waits long enough to see a timeout the server (or a device) enforces on its own.
        let order = Array(ladder.periods.suffix(1)) + ladder.periods.dropLast()
        for period in order {
            // The first one may wait a little: a server still counting the connections just closed (the
            // ramp's) refuses new ones for a moment.
            guard let socket = Self.prepared(address, session: session, attempts: watched.isEmpty ? 6 : 1) else { break }
            let poke = Self.poke(for: session)
            if poke == nil { socket.keepAlive(idle: period, interval: Self.retryInterval, count: Self.retries) }
            watched.append(Watched(socket: socket, period: period, readyAt: Clock.now, poke: poke))
        }
        defer { for entry in watched { entry.socket.close() } }
        guard !watched.isEmpty else {
            session.record(ProbeStep(title: "Idle timeout", status: .skipped, summary: "no connection could be opened and kept for the search"))
            return
        }
        watched.sort { $0.period < $1.period }
        let started = Clock.now
        let replyTimeout = session.options.timeout
        let grace = max(Self.retryInterval * Double(Self.retries) + 1.5, replyTimeout + 0.5)
        let deadline = (watched.map { $0.readyAt + $0.period }.max() ?? started) + grace
        var finding: IdleFinding?
        while finding == nil && Clock.now < deadline {
            var now = Clock.now
            for index in watched.indices where watched[index].watching {
                Self.pokeIfDue(&watched[index], idle: now - watched[index].readyAt, replyTimeout: replyTimeout)
            }
            let nextPoke = watched.filter { $0.watching && $0.poke != nil && $0.pokedAt == nil }.map { $0.readyAt + $0.period }.min()
            let wait = min(0.25, max(0.001, (nextPoke ?? .infinity) - now))
            var descriptors = watched.map { pollfd(fd: $0.watching ? $0.socket.fd : -1, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(wait * 1000))
            now = Clock.now
            if ready > 0 {
                for index in watched.indices where descriptors[index].revents != 0 && watched[index].watching {
                    Self.collect(&watched[index], idle: now - watched[index].readyAt)
                }
            }
            finding = Self.judge(watched, limit: ladder.periods.last ?? 0)
        }
        let elapsed = Clock.now - started
        let result = finding ?? IdleFinding(
            survivedSeconds: watched.map(\.period).max(), killedSeconds: nil, how: nil, closedUnprompted: false,
            searchedUpTo: watched.map(\.period).max() ?? 0)
        session.findings.idle = result
        if session.target.scheme == .http || session.target.scheme == .https, result.closedUnprompted {
            session.findings.httpKeepAliveSeconds = result.killedSeconds
        }
        let summary: String
        if let killed = result.killedSeconds {
            let how = result.how.map { Self.words($0) } ?? "ended"
            let said = watched.compactMap { $0.ended?.said }.first.map { " (it said \"\($0)\")" } ?? ""
            if result.closedUnprompted {
                summary = "idle connections are \(how) after \(ProbeVerdict.seconds(killed)) s\(said)"
            } else {
                let lower = result.survivedSeconds.map { "between \(ProbeVerdict.seconds($0)) and " } ?? "by "
                summary = "idle connections die \(lower)\(ProbeVerdict.seconds(killed)) s of silence: the next packet was \(how)"
            }
        } else {
            summary = "no idle timeout up to \(ProbeVerdict.seconds(result.searchedUpTo)) s (\(watched.count) connections watched)"
        }
        session.record(ProbeStep(
            title: "Idle timeout", status: result.killedSeconds == nil ? .ok : .warning, milliseconds: elapsed * 1000,
            summary: summary,
            details: ["\(watched.count) connections idle for " + watched.map { ProbeVerdict.seconds($0.period) }.joined(separator: ", ") + " s before asking whether they are still there"]))
    }

    /// A connection past the greeting, trying `attempts` times 200 ms apart; `nil` when refused each time.
    static func prepared(_ address: ProbeAddress, session: ProbeSession, attempts: Int) -> ProbeSocket? {
        for attempt in 0..<attempts {
            if attempt > 0 { usleep(200_000) }
            guard case .success(let socket) = ProbeSocket.connect(to: address, port: session.target.port, timeout: session.options.timeout)
            else { continue }
            if Self.prepare(socket, session: session) { return socket }
            socket.close()
        }
        return nil
    }

    /// Takes the connection past the greeting so that it is idle in the protocol's normal waiting state.
    static func prepare(_ socket: ProbeSocket, session: ProbeSession) -> Bool {
        switch session.target.scheme {
        case .smtp, .ftp:
            return ConnectionRamp.greet(socket, session: session) == nil
        case .smtps:
            return socket.startTLS(serverName: session.target.host, timeout: session.options.timeout).handshakeFailure == nil
                && ConnectionRamp.greet(socket, session: session) == nil
        case .http, .https:
            if session.target.scheme == .https,
                socket.startTLS(serverName: session.target.host, timeout: session.options.timeout).handshakeFailure != nil
            {
                return false
            }
            let host = session.target.host.contains(":") ? "[\(session.target.host)]" : session.target.host
            let request = "GET \(session.target.path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: resetlab-probe\r\n\r\n"
            guard socket.send(Array(request.utf8)) == nil else { return false }
            return (try? HTTPConversation.readResponse(socket, timeout: session.options.timeout).get())?.keepAlive == true
        case .tcp, .tls, .ftps:
            return true
        }
    }

    /// Sends the connection's "still there?" once it has been idle for its period; a poke without an
    /// answer within `replyTimeout` means the connection was silently dropped.
    /// A connection asked by TCP keepalive instead has survived once its last probe would have failed.
    static func pokeIfDue(_ entry: inout Watched, idle: Double, replyTimeout: Double) {
        guard let poke = entry.poke else {
            let lastProbeFailsBy = max(1, entry.period.rounded()) + Self.retryInterval * Double(Self.retries) + 0.75
            if idle >= lastProbeFailsBy { entry.answered = true }
            return
        }
        if let pokedAt = entry.pokedAt {
            if idle - pokedAt > replyTimeout { entry.ended = (entry.period, .timedOut, nil) }
            return
        }
        guard idle >= entry.period else { return }
        entry.pokedAt = idle
        if let breakage = entry.socket.send(poke) { entry.ended = (entry.period, breakage, nil) }
    }

    /// Reads what a connection has to say now: an answer to its poke (it is alive), a farewell line, or
    /// its end, `idle` seconds after the connection went quiet.
    static func collect(_ entry: inout Watched, idle: Double) {
        var said: String?
        while true {
            switch entry.socket.read(timeout: 0.01) {
            case .success(let bytes):
                if entry.pokedAt != nil {
                    // Answered: alive at this period.
                    entry.answered = true
                    entry.socket.close()
                    return
                }
                let text = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
                said = said ?? text
            case .failure(.timedOut):
                return
            case .failure(let breakage):
                // An end in answer to a poke belongs to the poke's period.
                entry.ended = (entry.pokedAt.map { _ in entry.period } ?? idle, breakage, said)
                return
            }
        }
    }

    /// The answer once the results allow one, else `nil`. Times are each connection's own idle time.
    static func judge(_ watched: [Watched], limit: Double) -> IdleFinding? {
        let ended = watched.compactMap { entry in entry.ended.map { (period: entry.period, end: $0) } }
        // An end well before the connection's own keepalive fired came unprompted: the timeout itself.
        if let first = ended.filter({ $0.end.at < $0.period - 0.5 }).min(by: { $0.end.at < $1.end.at }) {
            let at = first.end.at
            let survived = watched.filter { entry in entry.ended.map { $0.at >= at - 0.5 } ?? true }
                .map(\.period).filter { $0 < at }.max()
            return IdleFinding(survivedSeconds: survived, killedSeconds: at, how: first.end.how, closedUnprompted: true, searchedUpTo: limit)
        }
        // The shortest period that died at its probe, once every shorter one has been answered or has died.
        if let died = ended.min(by: { $0.period < $1.period }),
            !watched.contains(where: { $0.period < died.period && $0.watching })
        {
            let survived = watched.filter { $0.period < died.period && $0.ended == nil }.map(\.period).max()
            return IdleFinding(survivedSeconds: survived, killedSeconds: died.period, how: died.end.how, closedUnprompted: false, searchedUpTo: limit)
        }
        return nil
    }

    static func words(_ breakage: Breakage) -> String {
        switch breakage {
        case .reset: "reset (RST)"
        case .closed: "closed (FIN)"
        case .timedOut: "silently dropped (no answer to the next packet)"
        default: breakage.shortName
        }
    }
}
