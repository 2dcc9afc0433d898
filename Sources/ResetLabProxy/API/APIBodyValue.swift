import Foundation

/// A request body parsed into plain values, so the API can check every field itself and answer with a
/// precise 400 instead of trusting a decoder's defaults.
indirect enum APIBodyValue: Sendable, Decodable {
    case null
    case bool(Bool)
    /// A number with no fractional part that fits `Int64` (`5`, `5.0` and `5e0` all land here).
    case integer(Int64)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([APIBodyValue])
    case object([String: APIBodyValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([APIBodyValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: APIBodyValue].self))
        }
    }

    /// Parses a request body.
    /// - Throws: 400 `bad request body: …` when the bytes are empty or not one JSON value.
    static func parse(_ bytes: [UInt8]) throws(APIError) -> APIBodyValue {
        guard bytes.contains(where: { !Self.isJSONWhitespace($0) }) else {
            throw .badRequestBody("the body is empty; send a JSON document")
        }
        do {
            return try JSONDecoder().decode(APIBodyValue.self, from: Data(bytes))
        } catch {
            throw .badRequestBody("not valid JSON")
        }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The value as a number, whatever its JSON spelling.
    var numberValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// How the value reads in an error message: JSON-like and short.
    var summary: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .string(let value): return "\"\(value)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
