/// A proxy body as sent (`POST /proxies`, an update, or one `/populate` entry), checked field by field.
///
/// `toxics` is ResetLab's addition to creation and `/populate` (Toxiproxy ignores it there, issues
/// #281 and #447). An update accepts and ignores it, because the Go client sends its cached copy with
/// every save and honouring that copy would undo toxics added since.
struct ProxyInput: Sendable {
    /// The fields a proxy document may have.
    static let fields = ["name", "listen", "upstream", "enabled", "toxics"]

    var name: String?
    var listen: String?
    var upstream: String?
    var enabled: Bool?
    /// The `toxics` entries; `nil` when the field is absent or `null`.
    var toxics: [ToxicInput]?

    /// Reads a proxy document; `null` for a field counts as leaving it out.
    /// - Throws: 400 when the value is not an object, has an unknown field, or a field of the wrong type.
    init(_ value: APIBodyValue) throws(APIError) {
        guard case .object(let members) = value else {
            throw .badRequestBody("a proxy must be a JSON object, got \(value.summary)")
        }
        if let unknown = members.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw .badRequestBody(
                "unknown field \"\(unknown)\"; a proxy takes \(Self.fields.joined(separator: ", "))"
            )
        }
        self.name = try Self.string(members["name"], field: "name")
        self.listen = try Self.string(members["listen"], field: "listen")
        self.upstream = try Self.string(members["upstream"], field: "upstream")
        switch members["enabled"] {
        case nil, .null?: self.enabled = nil
        case .bool(let enabled)?: self.enabled = enabled
        case let other?: throw .badRequestBody("\"enabled\" must be true or false, got \(other.summary)")
        }
        switch members["toxics"] {
        case nil, .null?:
            self.toxics = nil
        case .array(let entries)?:
            var toxics: [ToxicInput] = []
            for (index, entry) in entries.enumerated() {
                do {
                    toxics.append(try ToxicInput(entry))
                } catch {
                    throw error.located("toxic \(index + 1)")
                }
            }
            self.toxics = toxics
        case let other?:
            throw .badRequestBody("\"toxics\" must be an array of toxics, got \(other.summary)")
        }
    }

    /// The new proxy this document describes and its toxics: `name` and `upstream` required, `listen`
    /// defaulting to ``ProxyDefinition/defaultListen``, `enabled` to true.
    /// - Throws: 400 for a missing or bad field, a bad toxic, or two toxics with one name.
    func creation() throws(APIError) -> (definition: ProxyDefinition, toxics: [ToxicDefinition]) {
        guard let name = self.name, !name.isEmpty else { throw .missingField("name") }
        try Self.checkName(name)
        guard let upstream = self.upstream, !upstream.isEmpty else { throw .missingField("upstream") }
        let listen = self.listen.flatMap { $0.isEmpty ? nil : $0 } ?? ProxyDefinition.defaultListen
        let definition = ProxyDefinition(name: name, listen: listen, upstream: upstream, enabled: self.enabled ?? true)
        var toxics: [ToxicDefinition] = []
        for (index, input) in (self.toxics ?? []).enumerated() {
            let toxic: ToxicDefinition
            do {
                toxic = try input.definition()
            } catch {
                throw error.located("toxic \(index + 1)")
            }
            if toxics.contains(where: { $0.name == toxic.name }) {
                throw .badRequestBody("two toxics are named \"\(toxic.name)\"").located("toxic \(index + 1)")
            }
            toxics.append(toxic)
        }
        return (definition, toxics)
    }

    /// An existing proxy with this document applied: fields left out keep their values; an empty `listen`
    /// means ``ProxyDefinition/defaultListen``, as at creation.
    /// - Throws: 400 for a rename or an empty upstream.
    func applied(to existing: ProxyDefinition) throws(APIError) -> ProxyDefinition {
        if let name = self.name, name != existing.name {
            throw .badRequestBody("a proxy cannot be renamed (\"\(existing.name)\"); delete it and create a new one")
        }
        if let upstream = self.upstream, upstream.isEmpty {
            throw .badRequestBody("\"upstream\" must not be empty")
        }
        var updated = existing
        if let listen = self.listen {
            updated.listen = listen.isEmpty ? ProxyDefinition.defaultListen : listen
        }
        updated.upstream = self.upstream ?? existing.upstream
        updated.enabled = self.enabled ?? existing.enabled
        return updated
    }

    /// Checks a proxy's name: it is a path segment in the API.
    static func checkName(_ name: String) throws(APIError) {
        if name.contains("/") {
            throw .badRequestBody("proxy name \"\(name)\" must not contain \"/\"")
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
