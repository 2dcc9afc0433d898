import Atomics
import ResetLabProxy
import Synchronization

/// Live counters for one proxy, updated as bytes flow (not when connections end), read by `/metrics`.
///
/// The counters a relayed read updates are stored in the object itself, next to each other, so a read
/// touches one or two cache lines of it and follows no pointer.
final class ProxyMetrics: Sendable {
    private let open = Atomic<Int>(0)
    private let total = Atomic<Int>(0)
    /// Bytes read from the sending side, per stream.
    private let receivedUpstream = Atomic<Int>(0)
    private let receivedDownstream = Atomic<Int>(0)
    /// Bytes written to the receiving side, per stream.
    private let sentUpstream = Atomic<Int>(0)
    private let sentDownstream = Atomic<Int>(0)
    /// Faults that acted (reset, close, blackhole, refused or reset connections), per toxic type.
    private let faults: [ToxicKind: ManagedAtomic<Int>]

    init() {
        var faults: [ToxicKind: ManagedAtomic<Int>] = [:]
        for kind in ToxicKind.allCases { faults[kind] = ManagedAtomic(0) }
        self.faults = faults
    }

    /// Connections open through the proxy now.
    var openConnections: Int { self.open.load(ordering: .relaxed) }
    /// Connections the proxy has accepted.
    var totalConnections: Int { self.total.load(ordering: .relaxed) }

    func connectionOpened() {
        self.total.wrappingAdd(1, ordering: .relaxed)
        self.open.wrappingAdd(1, ordering: .relaxed)
    }

    func connectionClosed() {
        self.open.wrappingSubtract(1, ordering: .relaxed)
    }

    func received(_ count: Int, in direction: StreamDirection) {
        switch direction {
        case .upstream: self.receivedUpstream.wrappingAdd(count, ordering: .relaxed)
        case .downstream: self.receivedDownstream.wrappingAdd(count, ordering: .relaxed)
        }
    }

    func sent(_ count: Int, in direction: StreamDirection) {
        switch direction {
        case .upstream: self.sentUpstream.wrappingAdd(count, ordering: .relaxed)
        case .downstream: self.sentDownstream.wrappingAdd(count, ordering: .relaxed)
        }
    }

    /// Bytes read so far from the sender of `direction`'s stream.
    func receivedBytes(_ direction: StreamDirection) -> Int {
        direction == .upstream
            ? self.receivedUpstream.load(ordering: .relaxed) : self.receivedDownstream.load(ordering: .relaxed)
    }

    /// Bytes written so far to the receiver of `direction`'s stream.
    func sentBytes(_ direction: StreamDirection) -> Int {
        direction == .upstream ? self.sentUpstream.load(ordering: .relaxed) : self.sentDownstream.load(ordering: .relaxed)
    }

    func faultFired(_ kind: ToxicKind) {
        self.faults[kind]?.wrappingIncrement(ordering: .relaxed)
    }

    func faultCount(_ kind: ToxicKind) -> Int {
        self.faults[kind]?.load(ordering: .relaxed) ?? 0
    }
}

/// Writes every proxy's counters in the Prometheus text exposition format (version 0.0.4).
enum PrometheusText {
    struct Proxy {
        var name: String
        var listen: String
        var upstream: String
        var metrics: ProxyMetrics
    }

    static func render(_ proxies: [Proxy]) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(String, Int)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples { out += "\(name){\(labels)} \(value)\n" }
        }
        func labels(_ proxy: Proxy, _ extra: String = "") -> String {
            let base = "proxy=\"\(escape(proxy.name))\",listener=\"\(escape(proxy.listen))\",upstream=\"\(escape(proxy.upstream))\""
            return extra.isEmpty ? base : "\(extra),\(base)"
        }
        family(
            "toxiproxy_proxy_received_bytes_total", "counter", "Bytes the proxy read, per stream.",
            proxies.flatMap { proxy in
                StreamDirection.allCases.map { (labels(proxy, "direction=\"\($0.rawValue)\""), proxy.metrics.receivedBytes($0)) }
            }
        )
        family(
            "toxiproxy_proxy_sent_bytes_total", "counter", "Bytes the proxy wrote, per stream.",
            proxies.flatMap { proxy in
                StreamDirection.allCases.map { (labels(proxy, "direction=\"\($0.rawValue)\""), proxy.metrics.sentBytes($0)) }
            }
        )
        family(
            "resetlab_proxy_connections_open", "gauge", "Connections open through the proxy.",
            proxies.map { (labels($0), $0.metrics.openConnections) }
        )
        family(
            "resetlab_proxy_connections_total", "counter", "Connections accepted by the proxy.",
            proxies.map { (labels($0), $0.metrics.totalConnections) }
        )
        family(
            "resetlab_proxy_faults_total", "counter", "Times a fault acted (reset, close, drop, refuse), per toxic type.",
            proxies.flatMap { proxy in
                ToxicKind.allCases.map { (labels(proxy, "type=\"\($0.rawValue)\""), proxy.metrics.faultCount($0)) }
            }
        )
        return out
    }

    private static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
