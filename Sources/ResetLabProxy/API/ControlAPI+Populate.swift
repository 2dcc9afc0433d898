import ResetLabJSON

extension ControlAPI {
    /// `POST /populate`: `201 {"proxies":[…]}`, or the error's fields followed by `"proxies"` (`null`
    /// for a 400, which changes nothing; the entries applied before a 500), as `application/json`.
    func populateResponse(body: [UInt8]) async -> APIResponse {
        let outcome = await self.populate(body: body)
        guard let error = outcome.error else {
            return .json(201, .object([("proxies", .array(outcome.applied.map(\.jsonValue)))]))
        }
        let proxies: JSONValue = error.status == 400 ? .null : .array(outcome.applied.map(\.jsonValue))
        return .json(
            error.status,
            .object([
                ("error", .string(error.message)),
                ("status", .integer(Int64(error.status))),
                ("proxies", proxies),
            ])
        )
    }

    /// Creates or replaces every proxy of a populate document, in order.
    ///
    /// Toxiproxy's rules: an entry whose name exists with the same `listen` and `upstream` keeps its
    /// listener and connections; one that differs is closed and replaced; the others are created. The whole
    /// document is checked first, so a 400 changes nothing; a listen error stops the run, keeping what
    /// was done before it. ResetLab's additions: an entry's `toxics` are installed (on a kept proxy they
    /// replace its toxics when the field is given), and a kept proxy follows the entry's `enabled`.
    /// - Returns: The proxies applied, in document order, and the error that stopped the run, if any.
    func populate(body: [UInt8]) async -> (applied: [ProxyState], error: APIError?) {
        let entries: [(definition: ProxyDefinition, toxics: [ToxicDefinition], replacesToxics: Bool)]
        do throws(APIError) {
            entries = try Self.populateEntries(body)
        } catch {
            return ([], error)
        }
        var applied: [ProxyState] = []
        for entry in entries {
            do throws(APIError) {
                applied.append(
                    try await self.apply(entry.definition, toxics: entry.toxics, replacesToxics: entry.replacesToxics)
                )
            } catch {
                return (applied, error)
            }
        }
        return (applied, nil)
    }

    /// Parses and checks a whole populate document.
    /// - Throws: 400 naming the entry at fault (`missing required field: name at proxy 1`).
    static func populateEntries(
        _ body: [UInt8]
    ) throws(APIError) -> [(definition: ProxyDefinition, toxics: [ToxicDefinition], replacesToxics: Bool)] {
        guard case .array(let values) = try APIBodyValue.parse(body) else {
            throw .badRequestBody("expected a JSON array of proxies")
        }
        var entries: [(definition: ProxyDefinition, toxics: [ToxicDefinition], replacesToxics: Bool)] = []
        for (index, value) in values.enumerated() {
            do throws(APIError) {
                let input = try ProxyInput(value)
                let (definition, toxics) = try input.creation()
                if entries.contains(where: { $0.definition.name == definition.name }) {
                    throw .badRequestBody("two proxies are named \"\(definition.name)\"")
                }
                entries.append((definition, toxics, input.toxics != nil))
            } catch {
                throw error.located("proxy \(index + 1)")
            }
        }
        return entries
    }

    /// Applies one populate entry.
    /// - Throws: 500 when a listener cannot be opened. A replaced proxy then stays, closed, with its old
    ///   addresses (as in Toxiproxy).
    private func apply(
        _ definition: ProxyDefinition,
        toxics: [ToxicDefinition],
        replacesToxics: Bool
    ) async throws(APIError) -> ProxyState {
        if var existing = self.proxies[definition.name] {
            if existing.definition.listen == definition.listen && existing.definition.upstream == definition.upstream {
                let oldToxics = existing.toxics
                if replacesToxics {
                    existing.setToxics(toxics)
                }
                switch (existing.definition.enabled, definition.enabled) {
                case (true, true):
                    if existing.toxics != oldToxics {
                        await self.commitToxics(of: existing)
                    }
                case (false, true):
                    self.store(existing)
                    existing.definition.listen = try await self.start(existing.definition, toxics: existing.toxics)
                    existing.definition.enabled = true
                case (true, false):
                    await self.backend.stopProxy(named: definition.name)
                    existing.definition.enabled = false
                case (false, false):
                    break
                }
                self.store(existing)
                return existing
            }
            if existing.definition.enabled {
                await self.backend.stopProxy(named: definition.name)
                existing.definition.enabled = false
                self.store(existing)
            }
        }
        var state = ProxyState(definition: definition, toxics: toxics)
        if definition.enabled {
            state.definition.listen = try await self.start(definition, toxics: state.toxics)
        }
        self.store(state)
        return state
    }
}
