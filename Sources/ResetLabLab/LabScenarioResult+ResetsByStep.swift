extension LabScenarioResult {
    /// For each record, the positions in ``resets`` of the RSTs sent while that step ran: a captured RST goes
    /// with its packet (see ``packetIndicesByRecord()``), so that its reason shows where the packet does; any
    /// other by its time, by the same rule (after the previous step returned and up to this one's return; after
    /// the last step: the last step).
    public func resetIndicesByRecord() -> [[Int]] {
        guard !self.records.isEmpty else { return [] }
        var recordOfPacket: [Int: Int] = [:]
        for (record, packets) in self.packetIndicesByRecord().enumerated() {
            for packet in packets { recordOfPacket[packet] = record }
        }
        var groups = [[Int]](repeating: [], count: self.records.count)
        for (index, reset) in self.resets.enumerated() {
            if let packet = reset.packetIndex, let record = recordOfPacket[packet] {
                groups[record].append(index)
                continue
            }
            let time = Double(reset.timestampNanoseconds &- self.startTimestampNanoseconds) / 1e9
            let record = self.records.firstIndex { time <= $0.time } ?? self.records.count - 1
            groups[record].append(index)
        }
        return groups
    }
}
