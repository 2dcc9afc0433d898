/// A toxic body as sent (`POST /proxies/{proxy}/toxics`, an update, or a `toxics` entry of a proxy),
/// checked field by field before anything changes.
///
/// Where Toxiproxy accepts bad values (unknown attributes dropped, toxicity 7, negative rates that crash
/// it later), this answers 400 and says what is accepted.
struct ToxicInput: Sendable {
    /// The fields a toxic document may have.
    static let fields = ["name", "type", "stream", "toxicity", "attributes"]

    var name: String?
    var type: String?
    var stream: String?
    var toxicity: Double?
    var attributes: [String: APIBodyValue]?

    /// Reads a toxic document; `null` for a field counts as leaving it out.
    /// - Throws: 400 when the value is not an object, has an unknown field, or a field of the wrong type.
    init(_ value: APIBodyValue) throws(APIError) {
        guard case .object(let members) = value else {
            throw .badRequestBody("a toxic must be a JSON object, got \(value.summary)")
        }
        if let unknown = members.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw .badRequestBody(
                "unknown field \"\(unknown)\"; a toxic takes \(Self.fields.joined(separator: ", "))"
            )
        }
        self.name = try Self.string(members["name"], field: "name")
        self.type = try Self.string(members["type"], field: "type")
        self.stream = try Self.string(members["stream"], field: "stream")
        switch members["toxicity"] {
        case nil, .null?:
            self.toxicity = nil
        case let toxicity?:
            guard let number = toxicity.numberValue, (0...1).contains(number) else {
                throw .badRequestBody("\"toxicity\" must be a number from 0 to 1, got \(toxicity.summary)")
            }
            self.toxicity = number
        }
        switch members["attributes"] {
        case nil, .null?: self.attributes = nil
        case .object(let attributes)?: self.attributes = attributes
        case let other?: throw .badRequestBody("\"attributes\" must be an object, got \(other.summary)")
        }
    }

    /// The new toxic this document describes, with Toxiproxy's defaults: stream `downstream`, toxicity 1,
    /// name `<type>_<stream>`, attributes not given at their kind's defaults.
    /// - Throws: 400 for a missing or unknown type, a bad stream, a bad name or bad attributes.
    func definition() throws(APIError) -> ToxicDefinition {
        guard let type = self.type, !type.isEmpty else { throw .missingField("type") }
        guard let kind = ToxicKind(rawValue: type) else { throw .invalidToxicType(type) }
        let stream = try Self.direction(self.stream)
        let name = self.name.flatMap { $0.isEmpty ? nil : $0 } ?? "\(kind.rawValue)_\(stream.rawValue)"
        try Self.checkName(name)
        let defaults = kind.attributes.map { ($0.name, $0.defaultValue) }
        let attributes = try Self.merged(self.attributes ?? [:], into: defaults, kind: kind)
        return ToxicDefinition(
            name: name,
            kind: kind,
            stream: stream,
            toxicity: self.toxicity ?? 1,
            attributes: attributes
        )
    }

    /// An existing toxic with this document applied: the attributes given replace theirs, the others
    /// stay; toxicity changes only when given (toxiproxy-cli's reset to 1.0 is not copied).
    ///
    /// `name`, `type` and `stream` may be sent (clients echo whole documents) but must not differ.
    /// - Throws: 400 for an attempt to rename or retype or move the toxic, or bad attributes.
    func applied(to existing: ToxicDefinition) throws(APIError) -> ToxicDefinition {
        if let name = self.name, name != existing.name {
            throw .badRequestBody("a toxic cannot be renamed (\"\(existing.name)\"); remove it and add a new one")
        }
        if let type = self.type, type != existing.kind.rawValue {
            throw .badRequestBody(
                "a toxic's type cannot be changed (\(existing.kind.rawValue)); remove it and add a new one"
            )
        }
        if let stream = self.stream, !stream.isEmpty, try Self.direction(stream) != existing.stream {
            throw .badRequestBody(
                "a toxic's stream cannot be changed (\(existing.stream.rawValue)); remove it and add a new one"
            )
        }
        var updated = existing
        updated.attributes = try Self.merged(
            self.attributes ?? [:],
            into: existing.attributes.map { ($0.name, $0.value) },
            kind: existing.kind
        ).map { (name: $0.0, value: $0.1) }
        updated.toxicity = self.toxicity ?? existing.toxicity
        return updated
    }

    /// Checks a toxic's name: it is a path segment in the API.
    static func checkName(_ name: String) throws(APIError) {
        if name.contains("/") {
            throw .badRequestBody("toxic name \"\(name)\" must not contain \"/\"")
        }
    }

    /// `upstream` or `downstream` (any letter case, as Toxiproxy); absent or empty means `downstream`.
    private static func direction(_ stream: String?) throws(APIError) -> StreamDirection {
        guard let stream, !stream.isEmpty else { return .downstream }
        guard let direction = StreamDirection(rawValue: stream.lowercased()) else { throw .invalidStream }
        return direction
    }

    /// The attribute values after applying `given` over `base`, checked against the kind.
    private static func merged(
        _ given: [String: APIBodyValue],
        into base: [(String, Int64)],
        kind: ToxicKind
    ) throws(APIError) -> [(String, Int64)] {
        let schema = kind.attributes
        if let unknown = given.keys.sorted().first(where: { key in !schema.contains { $0.name == key } }) {
            let takes = schema.isEmpty ? "it takes none" : "it takes " + schema.map(\.name).joined(separator: ", ")
            throw .badRequestBody("\(kind.rawValue) has no attribute \"\(unknown)\"; \(takes)")
        }
        var values = base
        for attribute in schema {
            guard let value = given[attribute.name] else { continue }
            guard case .integer(let number) = value else {
                throw .badRequestBody("attribute \"\(attribute.name)\" must be a whole number, got \(value.summary)")
            }
            guard number >= attribute.minimum else {
                throw .badRequestBody(
                    "attribute \"\(attribute.name)\" must be at least \(attribute.minimum), got \(number)"
                )
            }
            if let index = values.firstIndex(where: { $0.0 == attribute.name }) {
                values[index].1 = number
            } else {
                values.append((attribute.name, number))
            }
        }
        try Self.checkCombination(values, kind: kind)
        return values
    }

    /// Rules across attributes, or beyond a minimum, that keep the engine from misbehaving.
    private static func checkCombination(_ values: [(String, Int64)], kind: ToxicKind) throws(APIError) {
        func value(_ name: String) -> Int64 { values.first { $0.0 == name }?.1 ?? 0 }
        switch kind {
        case .slicer:
            let (average, variation) = (value("average_size"), value("size_variation"))
            guard variation < average else {
                throw .badRequestBody(
                    "attribute \"size_variation\" (\(variation)) must be smaller than \"average_size\" (\(average))"
                )
            }
        case .maxConnections:
            let refuse = value("refuse")
            guard refuse <= 1 else {
                throw .badRequestBody("attribute \"refuse\" must be 0 (reset) or 1 (refuse), got \(refuse)")
            }
        default:
            break
        }
    }

    private static func string(_ value: APIBodyValue?, field: String) throws(APIError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let string)?: return string
        case let other?: throw .badRequestBody("\"\(field)\" must be a string, got \(other.summary)")
        }
    }
}
