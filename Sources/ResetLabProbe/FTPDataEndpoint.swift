/// Where an FTP server says to open a data connection, from a PASV (`227`) or EPSV (`229`) reply, and how
/// to tell it where to connect for active mode (PORT, EPRT).
public struct FTPDataEndpoint: Sendable, Hashable {
    /// The address the server named (PASV), or `nil` for EPSV, which means "the control connection's".
    public var address: String?
    public var port: Int

    /// Reads `227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)`.
    public init(pasv reply: ServerReply) throws {
        let text = reply.lines.joined(separator: " ")
        let numbers = Self.numbers(in: text)
        guard reply.code == 227, numbers.count >= 6 else {
            throw ProbeProtocolError("PASV reply without an address and port: \"\(reply)\"")
        }
        let six = numbers.suffix(6).map { $0 }
        guard six.allSatisfy({ (0...255).contains($0) }) else {
            throw ProbeProtocolError("PASV reply with numbers above 255: \"\(reply)\"")
        }
        self.address = six[0..<4].map(String.init).joined(separator: ".")
        self.port = six[4] * 256 + six[5]
    }

    /// Reads `229 Entering Extended Passive Mode (|||port|)`.
    public init(epsv reply: ServerReply) throws {
        let text = reply.lines.joined(separator: " ")
        guard reply.code == 229, let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close
        else { throw ProbeProtocolError("EPSV reply without (|||port|): \"\(reply)\"") }
        let inner = text[text.index(after: open)..<close]
        guard let delimiter = inner.first else { throw ProbeProtocolError("empty EPSV reply: \"\(reply)\"") }
        let fields = inner.split(separator: delimiter, omittingEmptySubsequences: false)
        guard fields.count >= 4, let port = Int(fields[3]), (1...65535).contains(port) else {
            throw ProbeProtocolError("EPSV reply without a port: \"\(reply)\"")
        }
        self.address = nil
        self.port = port
    }

    /// `PORT h1,h2,h3,h4,p1,p2` for an IPv4 `address` and `port`.
    public static func portCommand(address: String, port: Int) -> String {
        "PORT " + address.split(separator: ".").joined(separator: ",") + ",\(port / 256),\(port % 256)"
    }

    /// `EPRT |1|address|port|` (2 for IPv6).
    public static func eprtCommand(address: String, port: Int) -> String {
        "EPRT |\(address.contains(":") ? 2 : 1)|\(address)|\(port)|"
    }

    private static func numbers(in text: String) -> [Int] {
        var numbers: [Int] = []
        var current: Int?
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                current = (current ?? 0) * 10 + digit
                if (current ?? 0) > 1_000_000 { current = 1_000_000 }
            } else if let value = current {
                numbers.append(value)
                current = nil
            }
        }
        if let value = current { numbers.append(value) }
        return numbers
    }
}
