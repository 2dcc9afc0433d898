import ResetLabCapture

extension TCPFlags {
    /// The lab's spelling, letters only: `S`, `SA`, `FA`, `PA`, `R`, `RA`, `FPA` … (`.` for none). It is
    /// tcpdump's (``description``) for the six classic flags, with an ACK written `A` instead of `.`.
    public var letters: String {
        let text = self.intersection([.syn, .fin, .rst, .psh, .urg, .ack]).description
        return text == "none" ? "." : String(text.map { $0 == "." ? "A" : $0 })
    }
}
