import Foundation

/// Everything a lab run has created outside its own process — agent processes and network namespaces —
/// so that it can all be removed at the end, on an error, or when the run is interrupted (Ctrl-C, SIGTERM).
public final class LabCleanup: @unchecked Sendable {
    private let lock = NSLock()
    private var processes: Set<Int32> = []
    private var namespaces: Set<String> = []

    public init() {}

    func register(process: Int32) { self.lock.withLock { _ = self.processes.insert(process) } }
    func unregister(process: Int32) { self.lock.withLock { _ = self.processes.remove(process) } }
    func register(namespace: String) { self.lock.withLock { _ = self.namespaces.insert(namespace) } }
    func unregister(namespace: String) { self.lock.withLock { _ = self.namespaces.remove(namespace) } }

    /// Kills every registered process and deletes every registered namespace. Safe to call more than once.
    public func removeEverything() {
        let (processes, namespaces) = self.lock.withLock {
            defer {
                self.processes.removeAll()
                self.namespaces.removeAll()
            }
            return (self.processes, self.namespaces)
        }
        for process in processes { kill(process, SIGKILL) }
        for namespace in namespaces { NetworkNamespace.delete(named: namespace) }
    }

    /// Makes SIGINT and SIGTERM remove everything, then exit with the conventional status (130 or 143).
    /// The returned sources must be kept alive for as long as the handling is wanted.
    public func removeEverythingOnInterrupt() -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                self.removeEverything()
                FileHandle.standardError.write(Data("resetlab lab: interrupted; agents and namespaces removed\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            return source
        }
    }
}
