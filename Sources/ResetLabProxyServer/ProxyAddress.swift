import NIOCore
import ResetLabProxy

/// Parsing `host:port` and `[v6]:port` addresses, and wording socket errors the way Go's net package does
/// (which Toxiproxy clients see in error bodies).
enum ProxyAddress {
    static func split(_ address: String) throws -> (host: String, port: Int) {
        var host: Substring
        var portText: Substring
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            host = address[address.index(after: address.startIndex)..<close]
            portText = address[address.index(after: close)...].drop { $0 == ":" }
        } else if let colon = address.lastIndex(of: ":") {
            host = address[..<colon]
            portText = address[address.index(after: colon)...]
        } else {
            throw ProxyBackendError.listen("address \(address): missing port in address")
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw ProxyBackendError.listen("address \(address): invalid port")
        }
        return (String(host), port)
    }

    static func describe(_ error: Error) -> String {
        if let io = error as? IOError {
            switch io.errnoCode {
            case 98: return "bind: address already in use"
            case 99: return "bind: cannot assign requested address"
            case 13: return "bind: permission denied"
            default: return "\(io)"
            }
        }
        return "\(error)"
    }
}
