/// A toxic as the control API stores it: Toxiproxy's `{name, type, stream, toxicity, attributes}`.
public struct ToxicDefinition: Sendable, Hashable {
    public var name: String
    public var kind: ToxicKind
    public var stream: StreamDirection
    /// The probability, 0...1, that the toxic applies to a given connection.
    public var toxicity: Double
    /// Every attribute of the kind, with defaults filled in, in the kind's order.
    public var attributes: [(name: String, value: Int64)]

    public init(name: String, kind: ToxicKind, stream: StreamDirection, toxicity: Double, attributes: [(String, Int64)]) {
        self.name = name
        self.kind = kind
        self.stream = stream
        self.toxicity = toxicity
        self.attributes = attributes.map { (name: $0.0, value: $0.1) }
    }

    /// An attribute's value (its default when never set).
    public func value(_ attribute: String) -> Int64 {
        self.attributes.first { $0.name == attribute }?.value
            ?? self.kind.attributes.first { $0.name == attribute }?.defaultValue ?? 0
    }

    public static func == (lhs: ToxicDefinition, rhs: ToxicDefinition) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.stream == rhs.stream && lhs.toxicity == rhs.toxicity
            && lhs.attributes.elementsEqual(rhs.attributes) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.name)
        hasher.combine(self.kind)
    }
}
