import Foundation

/// Everything a lab run has created outside its own process — agent processes, network namespaces and
/// tracefs instances — so that it can all be removed at the end, on an error, or when the run is interrupted
/// (Ctrl-C, SIGTERM).
public final class LabCleanup: @unchecked Sendable {
    private let lock = NSLock()
    private var processes: Set<Int32> = []
    private var namespaces: Set<String> = []
    private var traces: [ObjectIdentifier: KernelResetTrace] = [:]
    /// Set by ``removeEverything()``: a trace registered after it is finished at once, as nothing would
    /// remove it before the process exits.
    private var removed = false

    public init() {}

    func register(process: Int32) { self.lock.withLock { _ = self.processes.insert(process) } }
    func unregister(process: Int32) { self.lock.withLock { _ = self.processes.remove(process) } }
    func register(namespace: String) { self.lock.withLock { _ = self.namespaces.insert(namespace) } }
    func unregister(namespace: String) { self.lock.withLock { _ = self.namespaces.remove(namespace) } }
    func register(trace: KernelResetTrace) {
        let late = self.lock.withLock {
            if !self.removed { self.traces[ObjectIdentifier(trace)] = trace }
            return self.removed
        }
        if late { _ = trace.finish(marking: false) }
    }
    func unregister(trace: KernelResetTrace) {
        self.lock.withLock { _ = self.traces.removeValue(forKey: ObjectIdentifier(trace)) }
    }

    /// Kills every registered process, deletes every registered namespace and removes every tracefs instance
    /// still open. Safe to call more than once.
    public func removeEverything() {
        let (processes, namespaces, traces) = self.lock.withLock {
            defer {
                self.removed = true
                self.processes.removeAll()
                self.namespaces.removeAll()
                self.traces.removeAll()
            }
            return (self.processes, self.namespaces, self.traces.values)
        }
        for process in processes { kill(process, SIGKILL) }
        for namespace in namespaces { NetworkNamespace.delete(named: namespace) }
        for trace in traces { _ = trace.finish(marking: false) }
    }
}
