extension LabScenarioResult {
    /// For each record, the positions in ``packets`` of the segments seen while that step ran: after the
    /// previous step returned and up to this one's return. Segments seen after the last step belong to it.
    ///
    /// A FIN sent by `close()` therefore shows under the close, and the peer's ACK of it under whatever step
    /// came next, which is when it was on the wire.
    public func packetIndicesByRecord() -> [[Int]] {
        guard !self.records.isEmpty else { return [] }
        var groups = [[Int]](repeating: [], count: self.records.count)
        var record = 0
        for (index, packet) in self.packets.enumerated() {
            let time = Double(packet.timestampNanoseconds &- self.startTimestampNanoseconds) / 1e9
            while record < self.records.count - 1, time > self.records[record].time { record += 1 }
            groups[record].append(index)
        }
        return groups
    }
}
