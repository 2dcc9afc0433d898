@testable import ResetLabCapture

/// A TCP conversation written as the segments each side sends, with sequence and acknowledgement numbers
/// kept the way a real stack would: each side's next sequence number advances by its payload, SYN and
/// FIN, and every ACK acknowledges all the peer has sent. Times advance 1 ms per segment unless told.
struct Conversation {
    var client = Endpoint(address: IPAddress(ipv4: 0x0a00_0001), port: 40000)
    var server = Endpoint(address: IPAddress(ipv4: 0x0a00_0002), port: 80)
    var clientNext: UInt32 = 1000
    var serverNext: UInt32 = 5000
    var now: Int64 = 1_700_000_000_000_000_000
    var frame = 0
    private(set) var segments: [TCPSegment] = []

    init(clientPort: UInt16 = 40000, serverPort: UInt16 = 80) {
        self.client.port = clientPort
        self.server.port = serverPort
    }

    /// The client sends. Flags are tcpdump letters: "S", "SA" (SYN-ACK), "A", "PA", "FA", "R", "RA".
    @discardableResult
    mutating func client(
        _ flags: String, _ payload: Int = 0, seq: UInt32? = nil, ttl: UInt8 = 64, window: UInt16 = 65535,
        after gap: Int64 = 1_000_000
    ) -> TCPSegment {
        self.send(flags, payload, fromClient: true, seq: seq, ttl: ttl, window: window, gap: gap)
    }

    /// The server sends.
    @discardableResult
    mutating func server(
        _ flags: String, _ payload: Int = 0, seq: UInt32? = nil, ttl: UInt8 = 64, window: UInt16 = 65535,
        after gap: Int64 = 1_000_000
    ) -> TCPSegment {
        self.send(flags, payload, fromClient: false, seq: seq, ttl: ttl, window: window, gap: gap)
    }

    /// The usual three-way handshake.
    mutating func handshake() {
        self.client("S")
        self.server("SA")
        self.client("A")
    }

    private mutating func send(
        _ letters: String, _ payload: Int, fromClient: Bool, seq: UInt32?, ttl: UInt8, window: UInt16, gap: Int64
    ) -> TCPSegment {
        var flags: TCPFlags = []
        for letter in letters {
            switch letter {
            case "S": flags.insert(.syn)
            case "A": flags.insert(.ack)
            case "F": flags.insert(.fin)
            case "R": flags.insert(.rst)
            case "P": flags.insert(.psh)
            default: preconditionFailure("unknown flag letter \(letter)")
            }
        }
        self.now += gap
        self.frame += 1
        let next = fromClient ? self.clientNext : self.serverNext
        let sequence = seq ?? next
        let acknowledgement = flags.contains(.ack) ? (fromClient ? self.serverNext : self.clientNext) : 0
        let (source, destination) = fromClient ? (self.client, self.server) : (self.server, self.client)
        let segment = TCPSegment(
            frame: self.frame, timestamp: self.now, source: source.address, destination: destination.address,
            sourcePort: source.port, destinationPort: destination.port, sequence: sequence,
            acknowledgement: acknowledgement, flags: flags, window: window, payloadLength: payload, hopLimit: ttl,
            ipLength: 40 + payload)
        if !flags.contains(.rst) {
            let end = sequence &+ UInt32(payload) &+ (flags.contains(.syn) ? 1 : 0) &+ (flags.contains(.fin) ? 1 : 0)
            if Int32(bitPattern: end &- next) > 0 {
                if fromClient { self.clientNext = end } else { self.serverNext = end }
            }
        }
        self.segments.append(segment)
        return segment
    }

    /// The connections the tracker reports for these segments, in the order they were reported.
    func records(closeDelay: Int64 = 5_000_000_000) -> [ConnectionRecord] {
        Self.records(self.segments, closeDelay: closeDelay)
    }

    /// The one connection these segments make.
    func record() -> ConnectionRecord? {
        let records = self.records()
        return records.count == 1 ? records[0] : nil
    }

    static func records(_ segments: [TCPSegment], closeDelay: Int64 = 5_000_000_000) -> [ConnectionRecord] {
        var tracker = ConnectionTracker(closeDelay: closeDelay)
        var records: [ConnectionRecord] = []
        for segment in segments { tracker.add(segment) { record, _ in records.append(record) } }
        tracker.finish { record, _ in records.append(record) }
        return records
    }
}
