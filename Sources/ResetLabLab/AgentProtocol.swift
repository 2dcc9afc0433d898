/// The line protocol between the lab runner and a socket agent (a re-executed `resetlab lab-agent` process).
///
/// The runner writes one command per line; the agent performs it on its socket and answers with one reply
/// line. Fields are separated by tabs; bytes travel as lower-case hex so any payload fits on a line.
///
/// ```
/// runner → agent:  send<TAB>68656c6c6f
/// agent → runner:  1<TAB>sent<TAB>5          (TCP state 1 = ESTABLISHED before the call, 5 bytes sent)
/// ```
public enum AgentCommand: Sendable, Hashable {
    case listen(host: String, port: UInt16)
    case closeListener
    case connect(host: String, port: UInt16, userTimeoutMilliseconds: Int)
    case reconnect(host: String, port: UInt16)
    case accept
    case send([UInt8])
    case receive(Int)
    case receiveFrames
    case shutdownWrite
    case close
    case setAbortiveLinger
    case setReceiveTimeout(Int)
    case setUserTimeout(Int)
    case sendUntilFull
    case setLinger2(Int)
    case setKeepalive(idle: Int, interval: Int, probes: Int)
    case inspect

    /// The command as one protocol line (without the newline).
    public var line: String {
        switch self {
        case .listen(let host, let port): "listen\t\(host)\t\(port)"
        case .closeListener: "close-listener"
        case .connect(let host, let port, let timeout): "connect\t\(host)\t\(port)\t\(timeout)"
        case .reconnect(let host, let port): "reconnect\t\(host)\t\(port)"
        case .accept: "accept"
        case .send(let bytes): "send\t\(Hex.encode(bytes))"
        case .receive(let count): "recv\t\(count)"
        case .receiveFrames: "frames"
        case .shutdownWrite: "shutdown"
        case .close: "close"
        case .setAbortiveLinger: "linger0"
        case .setReceiveTimeout(let milliseconds): "rcvtimeo\t\(milliseconds)"
        case .setUserTimeout(let milliseconds): "usertimeout\t\(milliseconds)"
        case .sendUntilFull: "fill"
        case .setLinger2(let seconds): "linger2\t\(seconds)"
        case .setKeepalive(let idle, let interval, let probes): "keepalive\t\(idle)\t\(interval)\t\(probes)"
        case .inspect: "inspect"
        }
    }

    /// Parses a protocol line; `nil` for anything malformed.
    public init?(line: String) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard let verb = fields.first else { return nil }
        func port(_ index: Int) -> UInt16? { fields.count > index ? UInt16(fields[index]) : nil }
        func number(_ index: Int) -> Int? { fields.count > index ? Int(fields[index]) : nil }
        switch verb {
        case "listen":
            guard fields.count == 3, let port = port(2) else { return nil }
            self = .listen(host: fields[1], port: port)
        case "close-listener": self = .closeListener
        case "connect":
            guard fields.count == 4, let port = port(2), let timeout = number(3) else { return nil }
            self = .connect(host: fields[1], port: port, userTimeoutMilliseconds: timeout)
        case "reconnect":
            guard fields.count == 3, let port = port(2) else { return nil }
            self = .reconnect(host: fields[1], port: port)
        case "accept": self = .accept
        case "send":
            guard fields.count == 2, let bytes = Hex.decode(fields[1]) else { return nil }
            self = .send(bytes)
        case "recv":
            guard let count = number(1), count > 0 else { return nil }
            self = .receive(count)
        case "frames": self = .receiveFrames
        case "shutdown": self = .shutdownWrite
        case "close": self = .close
        case "linger0": self = .setAbortiveLinger
        case "rcvtimeo":
            guard let milliseconds = number(1) else { return nil }
            self = .setReceiveTimeout(milliseconds)
        case "usertimeout":
            guard let milliseconds = number(1) else { return nil }
            self = .setUserTimeout(milliseconds)
        case "fill": self = .sendUntilFull
        case "linger2":
            guard fields.count == 2, let seconds = number(1) else { return nil }
            self = .setLinger2(seconds)
        case "keepalive":
            guard fields.count == 4, let idle = number(1), let interval = number(2), let probes = number(3) else { return nil }
            self = .setKeepalive(idle: idle, interval: interval, probes: probes)
        case "inspect": self = .inspect
        default: return nil
        }
    }
}

/// An agent's answer to one command: the socket's TCP state before the call, and what the call returned.
public struct AgentReply: Sendable, Hashable {
    public var stateBefore: TCPState?
    public var outcome: CallOutcome
    /// For `listen`: the port bound; for `connect` and `reconnect`: the connection's local port.
    public var port: UInt16?

    public init(stateBefore: TCPState?, outcome: CallOutcome, port: UInt16? = nil) {
        self.stateBefore = stateBefore
        self.outcome = outcome
        self.port = port
    }

    /// The reply as one protocol line.
    public var line: String {
        let state = self.stateBefore.map { String($0.rawValue) } ?? "-"
        if let port = self.port { return "\(state)\tport\t\(port)" }
        switch self.outcome {
        case .done, .acted, .inspected: return "\(state)\tok"
        case .sent(let count): return "\(state)\tsent\t\(count)"
        case .received(let bytes): return "\(state)\tdata\t\(Hex.encode(bytes))"
        case .endOfStream: return "\(state)\teof"
        case .failed(let error): return "\(state)\terr\t\(error.name)\t\(error.code)"
        case .frames(let count): return "\(state)\tframes\t\(count)"
        }
    }

    /// Parses a reply line; `nil` for anything malformed.
    public init?(line: String) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 2 else { return nil }
        let state = Int(fields[0]).flatMap(TCPState.init(rawValue:))
        guard state != nil || fields[0] == "-" else { return nil }
        self.stateBefore = state
        self.port = nil
        switch (fields[1], fields.count) {
        case ("ok", 2): self.outcome = .done
        case ("eof", 2): self.outcome = .endOfStream
        case ("port", 3):
            guard let port = UInt16(fields[2]) else { return nil }
            self.outcome = .done
            self.port = port
        case ("sent", 3):
            guard let count = Int(fields[2]) else { return nil }
            self.outcome = .sent(count)
        case ("data", 3):
            guard let bytes = Hex.decode(fields[2]) else { return nil }
            self.outcome = .received(bytes)
        case ("frames", 3):
            guard let count = Int(fields[2]) else { return nil }
            self.outcome = .frames(count)
        case ("err", 4):
            guard let code = Int32(fields[3]) else { return nil }
            self.outcome = .failed(LinuxError(code: code, name: fields[2]))
        default: return nil
        }
    }
}

/// Lower-case hexadecimal encoding of bytes.
public enum Hex {
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 0x30...0x39: digit - 0x30
            case 0x61...0x66: digit - 0x61 + 10
            case 0x41...0x46: digit - 0x41 + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

/// Counts complete length-prefixed messages (4-byte big-endian length, then that many bytes).
public enum LengthPrefixFraming {
    /// The number of complete messages at the start of `bytes`.
    public static func completeMessages(in bytes: [UInt8]) -> Int {
        var count = 0
        var offset = 0
        while offset + 4 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                | Int(bytes[offset + 3])
            guard offset + 4 + length <= bytes.count else { break }
            offset += 4 + length
            count += 1
        }
        return count
    }
}
