import Foundation

/// What the `resetlab proxy` client subcommands do, as toxiproxy-cli does it: one API call (or two), then a
/// short human answer. API errors come back as ``ProxyAPIClient/Failure`` carrying the server's message.
public struct ProxyClientCommands: Sendable {
    public let client: ProxyAPIClient

    public init(client: ProxyAPIClient) {
        self.client = client
    }

    /// One line per proxy: name, listen, upstream, enabled, number of toxics.
    public func list() throws -> String {
        let proxies = try self.expectObject(try self.checked(self.client.request("GET", "/proxies"), 200))
        guard !proxies.isEmpty else { return "no proxies\n" }
        var rows = [["NAME", "LISTEN", "UPSTREAM", "ENABLED", "TOXICS"]]
        for name in proxies.keys.sorted() {
            let proxy = proxies[name] as? [String: Any] ?? [:]
            rows.append([
                name, proxy["listen"] as? String ?? "", proxy["upstream"] as? String ?? "",
                (proxy["enabled"] as? Bool ?? false) ? "enabled" : "disabled",
                String((proxy["toxics"] as? [Any])?.count ?? 0),
            ])
        }
        return Self.table(rows)
    }

    /// The proxy and its toxics, upstream then downstream.
    public func inspect(_ name: String) throws -> String {
        let proxy = try self.expectObject(try self.checked(self.client.request("GET", "/proxies/\(Self.escape(name))"), 200))
        var lines = [
            "Name: \(proxy["name"] as? String ?? name)",
            "Listen: \(proxy["listen"] as? String ?? "")",
            "Upstream: \(proxy["upstream"] as? String ?? "")",
            "Enabled: \(proxy["enabled"] as? Bool ?? false)",
        ]
        let toxics = proxy["toxics"] as? [[String: Any]] ?? []
        for stream in ["upstream", "downstream"] {
            lines.append("\(stream.prefix(1).uppercased() + stream.dropFirst()) toxics:")
            let inStream = toxics.filter { $0["stream"] as? String == stream }
            if inStream.isEmpty { lines.append("  none") }
            for toxic in inStream {
                let attributes = (toxic["attributes"] as? [String: Any] ?? [:])
                    .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                let toxicity = toxic["toxicity"].map { "\($0)" } ?? "1"
                lines.append("  \(toxic["name"] as? String ?? "?"): type=\(toxic["type"] as? String ?? "?") toxicity=\(toxicity) \(attributes)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func create(_ name: String, listen: String, upstream: String) throws -> String {
        let response = try self.checked(
            self.client.request("POST", "/proxies", body: ["name": name, "listen": listen, "upstream": upstream]), 201
        )
        let proxy = try self.expectObject(response)
        return "Created new proxy \(name) listening on \(proxy["listen"] as? String ?? listen)"
    }

    public func delete(_ name: String) throws -> String {
        _ = try self.checked(self.client.request("DELETE", "/proxies/\(Self.escape(name))"), 204)
        return "Deleted proxy \(name)"
    }

    public func toggle(_ name: String) throws -> String {
        let proxy = try self.expectObject(try self.checked(self.client.request("GET", "/proxies/\(Self.escape(name))"), 200))
        let enabled = !(proxy["enabled"] as? Bool ?? true)
        _ = try self.checked(self.client.request("PATCH", "/proxies/\(Self.escape(name))", body: ["enabled": enabled]), 200)
        return "Proxy \(name) is now \(enabled ? "enabled" : "disabled")"
    }

    public func addToxic(
        to proxy: String, type: String, name: String?, stream: String, toxicity: Double, attributes: [String: Int64]
    ) throws -> String {
        var body: [String: Any] = ["type": type, "stream": stream, "toxicity": toxicity, "attributes": attributes]
        if let name { body["name"] = name }
        let toxic = try self.expectObject(
            try self.checked(self.client.request("POST", "/proxies/\(Self.escape(proxy))/toxics", body: body), 200)
        )
        return "Added \(stream) \(type) toxic '\(toxic["name"] as? String ?? "\(type)_\(stream)")' on proxy '\(proxy)'"
    }

    public func updateToxic(_ name: String, of proxy: String, toxicity: Double?, attributes: [String: Int64]) throws -> String {
        var body: [String: Any] = ["attributes": attributes]
        if let toxicity { body["toxicity"] = toxicity }
        let path = "/proxies/\(Self.escape(proxy))/toxics/\(Self.escape(name))"
        _ = try self.checked(self.client.request("PATCH", path, body: body), 200)
        return "Updated toxic '\(name)' on proxy '\(proxy)'"
    }

    public func removeToxic(_ name: String, of proxy: String) throws -> String {
        let path = "/proxies/\(Self.escape(proxy))/toxics/\(Self.escape(name))"
        _ = try self.checked(self.client.request("DELETE", path), 204)
        return "Removed toxic '\(name)' on proxy '\(proxy)'"
    }

    /// Parses `name=value` attribute arguments; values must be whole numbers.
    public static func parseAttributes(_ arguments: [String]) throws -> [String: Int64] {
        var attributes: [String: Int64] = [:]
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, let value = Int64(parts[1]) else {
                throw ProxyAPIClient.Failure(description: "attribute '\(argument)' must be name=whole-number, e.g. latency=100", status: nil)
            }
            attributes[String(parts[0])] = value
        }
        return attributes
    }

    // MARK: Helpers

    private func checked(_ response: ProxyAPIClient.Response, _ status: Int) throws -> ProxyAPIClient.Response {
        guard response.status == status else {
            let object = (try? response.json()) as? [String: Any]
            let message = object?["error"] as? String ?? String(decoding: response.body, as: UTF8.self)
            throw ProxyAPIClient.Failure(description: "\(message) (HTTP \(response.status))", status: response.status)
        }
        return response
    }

    private func expectObject(_ response: ProxyAPIClient.Response) throws -> [String: Any] {
        guard let object = try response.json() as? [String: Any] else {
            throw ProxyAPIClient.Failure(description: "the API's answer was not a JSON object", status: response.status)
        }
        return object
    }

    private static func escape(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? name
    }

    private static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
