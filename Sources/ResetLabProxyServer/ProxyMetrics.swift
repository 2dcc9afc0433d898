import Atomics
import ResetLabProxy

/// Live counters for one proxy, updated as bytes flow (not when connections end), read by `/metrics`.
final class ProxyMetrics: Sendable {
    let connectionsOpen = ManagedAtomic<Int>(0)
    let connectionsTotal = ManagedAtomic<Int>(0)
    /// Bytes read from the sending side, per stream.
    let receivedUpstream = ManagedAtomic<Int>(0)
    let receivedDownstream = ManagedAtomic<Int>(0)
    /// Bytes written to the receiving side, per stream.
    let sentUpstream = ManagedAtomic<Int>(0)
    let sentDownstream = ManagedAtomic<Int>(0)
    /// Faults that acted (reset, close, blackhole, refused or reset connections), per toxic type.
    private let faults: [ToxicKind: ManagedAtomic<Int>]

    init() {
        var faults: [ToxicKind: ManagedAtomic<Int>] = [:]
        for kind in ToxicKind.allCases { faults[kind] = ManagedAtomic(0) }
        self.faults = faults
    }

    func received(_ count: Int, in direction: StreamDirection) {
        (direction == .upstream ? self.receivedUpstream : self.receivedDownstream)
            .wrappingIncrement(by: count, ordering: .relaxed)
    }

    func sent(_ count: Int, in direction: StreamDirection) {
        (direction == .upstream ? self.sentUpstream : self.sentDownstream)
            .wrappingIncrement(by: count, ordering: .relaxed)
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
                [("direction=\"upstream\"", proxy.metrics.receivedUpstream), ("direction=\"downstream\"", proxy.metrics.receivedDownstream)]
                    .map { (labels(proxy, $0.0), $0.1.load(ordering: .relaxed)) }
            }
        )
        family(
            "toxiproxy_proxy_sent_bytes_total", "counter", "Bytes the proxy wrote, per stream.",
            proxies.flatMap { proxy in
                [("direction=\"upstream\"", proxy.metrics.sentUpstream), ("direction=\"downstream\"", proxy.metrics.sentDownstream)]
                    .map { (labels(proxy, $0.0), $0.1.load(ordering: .relaxed)) }
            }
        )
        family(
            "resetlab_proxy_connections_open", "gauge", "Connections open through the proxy.",
            proxies.map { (labels($0), $0.metrics.connectionsOpen.load(ordering: .relaxed)) }
        )
        family(
            "resetlab_proxy_connections_total", "counter", "Connections accepted by the proxy.",
            proxies.map { (labels($0), $0.metrics.connectionsTotal.load(ordering: .relaxed)) }
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
