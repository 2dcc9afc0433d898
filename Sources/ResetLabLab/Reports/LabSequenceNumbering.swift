/// Sequence and acknowledgment numbers made relative, the way Wireshark shows them: each side's numbers
/// count from its initial sequence number (the SYN's, or the first one seen), so a SYN is `seq 0` and
/// the first data byte is `seq 1`. A new SYN (a reconnection) starts that side's count again.
struct LabSequenceNumbering: Sendable {
    /// One packet's relative numbers; `acknowledgment` is `nil` when the ACK flag is not set.
    struct Numbers: Sendable, Hashable {
        var sequence: UInt32
        var acknowledgment: UInt32?
    }

    /// The relative numbers of each packet, in the order given.
    let numbers: [Numbers]

    init(_ packets: [LabPacket]) {
        var base: [LabActor: UInt32] = [:]
        var numbers: [Numbers] = []
        numbers.reserveCapacity(packets.count)
        for packet in packets {
            let senderBase: UInt32
            if let known = base[packet.from], !packet.flags.contains(.syn) {
                senderBase = known
            } else {
                senderBase = packet.sequenceNumber
                base[packet.from] = senderBase
            }
            var acknowledgment: UInt32?
            if packet.flags.contains(.ack) {
                let receiver: LabActor = packet.from == .client ? .server : .client
                let receiverBase = base[receiver] ?? packet.acknowledgmentNumber
                base[receiver] = receiverBase
                acknowledgment = packet.acknowledgmentNumber &- receiverBase
            }
            numbers.append(Numbers(sequence: packet.sequenceNumber &- senderBase, acknowledgment: acknowledgment))
        }
        self.numbers = numbers
    }
}
