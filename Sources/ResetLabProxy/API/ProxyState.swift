import ResetLabJSON

/// A proxy and its toxics, as the control API holds and prints them.
public struct ProxyState: Sendable, Hashable {
    /// The proxy's addresses and switch.
    public var definition: ProxyDefinition
    /// Every toxic, upstream chain first, then downstream chain; within a stream in the order added.
    /// That is also the order data passes through them.
    public private(set) var toxics: [ToxicDefinition]

    /// - Parameters:
    ///   - definition: The proxy.
    ///   - toxics: Its toxics, in any order of streams (kept per stream).
    public init(definition: ProxyDefinition, toxics: [ToxicDefinition] = []) {
        self.definition = definition
        self.toxics = Self.chained(toxics)
    }

    /// The proxy's name.
    public var name: String { self.definition.name }

    /// The toxic with this name, if any.
    public func toxic(named name: String) -> ToxicDefinition? {
        self.toxics.first { $0.name == name }
    }

    /// The toxics of one stream, in the order data passes through them.
    public func chain(_ stream: StreamDirection) -> [ToxicDefinition] {
        self.toxics.filter { $0.stream == stream }
    }

    /// Adds a toxic at the end of its stream's chain.
    mutating func add(_ toxic: ToxicDefinition) {
        self.toxics = Self.chained(self.toxics + [toxic])
    }

    /// Replaces the toxic of the same name in place (its stream never changes).
    mutating func replace(_ toxic: ToxicDefinition) {
        guard let index = self.toxics.firstIndex(where: { $0.name == toxic.name }) else { return }
        self.toxics[index] = toxic
    }

    /// Removes the toxic with this name.
    mutating func removeToxic(named name: String) {
        self.toxics.removeAll { $0.name == name }
    }

    /// Replaces every toxic.
    mutating func setToxics(_ toxics: [ToxicDefinition]) {
        self.toxics = Self.chained(toxics)
    }

    /// Toxiproxy's proxy document: `{"name","listen","upstream","enabled","toxics":[…]}`.
    public var jsonValue: JSONValue {
        .object([
            ("name", .string(self.definition.name)),
            ("listen", .string(self.definition.listen)),
            ("upstream", .string(self.definition.upstream)),
            ("enabled", .bool(self.definition.enabled)),
            ("toxics", .array(self.toxics.map(\.jsonValue))),
        ])
    }

    /// Upstream toxics first, then downstream ones, each stream keeping its order.
    private static func chained(_ toxics: [ToxicDefinition]) -> [ToxicDefinition] {
        toxics.filter { $0.stream == .upstream } + toxics.filter { $0.stream == .downstream }
    }
}
