import ResetLabTransfer

/// Why the receiver cannot take a file: the refusal it sends the sender, and prints.
struct ReceiveFailure: Error {
    let refusal: TransferRefusal

    init(_ code: TransferRefusal.Code, _ reason: String) {
        self.refusal = TransferRefusal(code: code, reason: reason)
    }
}
