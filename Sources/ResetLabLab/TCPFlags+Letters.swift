import ResetLabCapture

extension TCPFlags {
    /// The lab's spelling, letters only: `S`, `SA`, `FA`, `PA`, `R`, `RA`, `FPA` … (`.` for none); the
    /// transcripts and ladders put an ACK as `A`, where tcpdump (``description``) writes `.`.
    public var letters: String {
        var text = ""
        if self.contains(.syn) { text += "S" }
        if self.contains(.fin) { text += "F" }
        if self.contains(.rst) { text += "R" }
        if self.contains(.psh) { text += "P" }
        if self.contains(.urg) { text += "U" }
        if self.contains(.ack) { text += "A" }
        return text.isEmpty ? "." : text
    }
}
