import ResetLabJSON

extension ToxicDefinition {
    /// Toxiproxy's toxic document: `{"attributes":{…},"name","type","stream","toxicity"}`, attributes in
    /// the kind's order.
    public var jsonValue: JSONValue {
        .object([
            ("attributes", .object(self.attributes.map { ($0.name, JSONValue.integer($0.value)) })),
            ("name", .string(self.name)),
            ("type", .string(self.kind.rawValue)),
            ("stream", .string(self.stream.rawValue)),
            ("toxicity", .number(self.toxicity)),
        ])
    }
}
