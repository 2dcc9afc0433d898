import Foundation
import ResetLabSteady
import ResetLabTransfer

#if canImport(Glibc)
import Glibc
#endif

/// The receiving end: listens, takes files from any number of senders at once (one connection per name),
/// writes each to `NAME.part` inside its directory and renames it to `NAME` once its SHA-256 is verified.
///
/// A connection per thread over blocking sockets (see ``TransferSocket`` for why).
public final class FileReceiver: Sendable {
    /// What the receiver needs to start.
    public struct Configuration: Sendable {
        /// Where to listen; port 0 lets the kernel choose (see ``FileReceiver/port``).
        public var listen: SteadyAddress
        /// The directory files are saved into; nothing is ever written outside it.
        public var directory: String
        /// Stop after the first verified file.
        public var once: Bool

        public init(listen: SteadyAddress, directory: String, once: Bool) {
            self.listen = listen
            self.directory = directory
            self.once = once
        }
    }

    /// Why the receiver could not start.
    public enum StartError: Error, Sendable, CustomStringConvertible {
        /// The directory cannot be opened as a directory.
        case directory(path: String, reason: String)
        /// The address cannot be listened on.
        case listen(SteadyError)

        public var description: String {
            switch self {
            case .directory(let path, let reason): "cannot receive into '\(path)': \(reason)"
            case .listen(let error):
                error.errno == EADDRINUSE
                    ? "\(error.detail): another program is listening there; choose another port (or stop it)"
                    : "\(error.detail)"
            }
        }
    }

    private let configuration: Configuration
    private let listener: TransferListener
    private let directory: Int32
    private let registry = ReceiverRegistry()
    private let stopped = StopFlag()

    /// The port the receiver listens on (the kernel's choice when port 0 was asked for).
    public var port: UInt16 { self.listener.port }

    /// Opens the directory and starts listening (no connection is taken before ``run(onVerified:log:)``).
    /// - Throws: ``StartError`` naming the directory or the address and the reason.
    public init(configuration: Configuration) throws(StartError) {
        self.configuration = configuration
        let directory = open(configuration.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else {
            let reason = errno == ENOTDIR ? "it is not a directory" : String(cString: strerror(errno))
            throw .directory(path: configuration.directory, reason: reason)
        }
        guard access(configuration.directory, W_OK) == 0 else {
            close(directory)
            throw .directory(path: configuration.directory, reason: "it is not writable by this user")
        }
        do throws(SteadyError) {
            self.listener = try TransferListener(endpoint: configuration.listen)
        } catch {
            close(directory)
            throw .listen(error)
        }
        self.directory = directory
    }

    deinit {
        close(self.directory)
    }

    /// Takes connections until ``stop()`` (or, with `once`, until the first verified file has been reported).
    /// - Parameters:
    ///   - onVerified: called for each verified file (from the connection's thread).
    ///   - log: called with one line per notable event: refusals, lost connections, mismatches.
    public func run(onVerified: @escaping @Sendable (ReceivedFile) -> Void, log: @escaping @Sendable (String) -> Void) {
        let started = DispatchTime.now().uptimeNanoseconds
        let clock: @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
        while !self.stopped.isSet {
            let socket: TransferSocket
            do throws(SteadyError) {
                socket = try self.listener.accept()
            } catch {
                if !self.stopped.isSet { log("stopped taking connections: \(error)") }
                break
            }
            let session = ReceiveSession(
                socket: socket, registry: self.registry, directory: self.directory,
                directoryPath: self.configuration.directory, clock: clock, log: log)
            let once = self.configuration.once
            Thread { [self] in
                if case .verified(let file) = session.run() {
                    onVerified(file)
                    if once { self.stop() }
                }
            }.start()
        }
    }

    /// Stops taking connections; ``run(onVerified:log:)`` returns.
    public func stop() {
        self.stopped.set()
        _ = shutdown(self.listener.descriptor, Int32(SHUT_RDWR))
    }
}

/// A flag set once, read from any thread.
final class StopFlag: @unchecked Sendable {
    // Sendable: the value is only touched under `lock`.
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { self.lock.withLock { self.value } }

    func set() { self.lock.withLock { self.value = true } }
}
