import ResetLabProxy

/// One value for each stream of a connection, stored inline: reading a stream's state on every read
/// hashes nothing and follows no pointer.
struct PerDirection<Value> {
    var upstream: Value
    var downstream: Value

    /// Both streams start with `value`.
    init(_ value: Value) {
        self.upstream = value
        self.downstream = value
    }

    subscript(direction: StreamDirection) -> Value {
        get { direction == .upstream ? self.upstream : self.downstream }
        set {
            switch direction {
            case .upstream: self.upstream = newValue
            case .downstream: self.downstream = newValue
            }
        }
    }
}
