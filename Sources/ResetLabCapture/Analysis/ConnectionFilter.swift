/// Which connections a report lists (the summary always counts every connection).
public struct ConnectionFilter: Sendable, Hashable {
    /// Only connections that a RST ended.
    public var onlyResets: Bool
    /// Only connections with this address at either end.
    public var host: IPAddress?
    /// Only connections with this port at either end.
    public var port: UInt16?

    public init(onlyResets: Bool = false, host: IPAddress? = nil, port: UInt16? = nil) {
        self.onlyResets = onlyResets
        self.host = host
        self.port = port
    }

    public func matches(_ record: ConnectionRecord) -> Bool {
        if self.onlyResets && !record.verdict.isReset { return false }
        if let host = self.host, record.originator.address != host && record.responder.address != host { return false }
        if let port = self.port, record.originator.port != port && record.responder.port != port { return false }
        return true
    }
}
