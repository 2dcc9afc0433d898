import CResetLabLinux
import Foundation

/// How one upstream connection went, from the upstream's side.
struct UpstreamResult: Sendable {
    /// Bytes the upstream read.
    var receivedCount: Int
    /// How its reading ended: end of stream, a reset, or a timeout (`.timedOut`).
    var ending: ReadOutcome
}

/// A scripted upstream server on 127.0.0.1, port chosen by the kernel: one thread accepts, one thread per
/// connection runs the handler, whose result is recorded. ``stop()`` wakes and joins every thread.
final class UpstreamServer: Sendable {
    typealias Handler = @Sendable (TestSocket) -> UpstreamResult

    let port: Int
    private let listener: TestSocket
    private let state = Locked(State())
    private let threads = DispatchGroup()

    private struct State {
        var open: [TestSocket] = []
        var accepted = 0
        var results: [UpstreamResult] = []
        var stopped = false
    }

    /// Starts listening; with `accepting` false nobody ever calls accept (a server whose queue fills up).
    init(backlog: Int32 = 128, accepting: Bool = true, handler: @escaping Handler) throws {
        var port: UInt16 = 0
        let fd = rl_tcp_listen("127.0.0.1", 0, backlog, &port)
        guard fd >= 0 else { throw SocketError(operation: "listen", code: -fd) }
        self.listener = TestSocket(fd: fd)
        self.port = Int(port)
        guard accepting else { return }
        self.threads.enter()
        Thread { [self] in
            self.acceptLoop(handler)
            self.threads.leave()
        }.start()
    }

    /// An echo server: sends back what it reads; on end of stream it half-closes and drains.
    static func echo() throws -> UpstreamServer {
        try UpstreamServer(handler: Self.echoHandler)
    }

    static let echoHandler: Handler = { socket in
        var count = 0
        while true {
            let outcome = socket.receive(timeout: 60_000)
            guard case .data(let bytes) = outcome else {
                if outcome == .endOfStream { try? socket.shutdownWrite() }
                return UpstreamResult(receivedCount: count, ending: outcome)
            }
            count += bytes.count
            do {
                try socket.send(bytes)
            } catch let error as SocketError {
                return UpstreamResult(receivedCount: count, ending: .failed(error.code))
            } catch {
                return UpstreamResult(receivedCount: count, ending: .failed(EIO))
            }
        }
    }

    private func acceptLoop(_ handler: @escaping Handler) {
        while true {
            let fd = rl_tcp_accept(self.listener.fd)
            guard fd >= 0 else {
                if fd == -EINTR || fd == -ECONNABORTED { continue }
                return
            }
            let socket = TestSocket(fd: fd)
            let keep = self.state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.open.append(socket)
                state.accepted += 1
                return true
            }
            guard keep else {
                socket.close()
                return
            }
            self.threads.enter()
            Thread { [self] in
                let result = handler(socket)
                socket.close()
                self.state.withLock { state in
                    state.open.removeAll { $0 === socket }
                    state.results.append(result)
                }
                self.threads.leave()
            }.start()
        }
    }

    /// Connections accepted so far.
    var acceptedCount: Int {
        self.state.withLock { $0.accepted }
    }

    /// The results of the connections whose handler has returned, in the order they returned.
    var results: [UpstreamResult] {
        self.state.withLock { $0.results }
    }

    /// Waits (blocking) until `count` connections have been accepted.
    func waitForConnections(_ count: Int, timeout: Int = 5_000) -> Bool {
        Blocking.eventually(timeout: timeout) { self.acceptedCount >= count }
    }

    /// Waits (blocking) until `count` handlers have returned; returns their results.
    func waitForResults(_ count: Int, timeout: Int = 5_000) -> [UpstreamResult]? {
        var results: [UpstreamResult] = []
        let done = Blocking.eventually(timeout: timeout) {
            results = self.results
            return results.count >= count
        }
        return done ? results : nil
    }

    /// Stops accepting, wakes every handler and waits for all threads (at most 10 s).
    func stop() {
        let open = self.state.withLock { state -> [TestSocket] in
            state.stopped = true
            return state.open
        }
        // shutdown() on a listening socket wakes a blocked accept() with EINVAL.
        self.listener.interrupt()
        for socket in open { socket.interrupt() }
        _ = self.threads.wait(timeout: .now() + 10)
        self.listener.close()
    }
}
