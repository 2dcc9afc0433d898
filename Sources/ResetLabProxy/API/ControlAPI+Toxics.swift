extension ControlAPI {
    /// The toxic with this name on this proxy.
    /// - Throws: 404 `proxy not found` or `toxic not found`.
    func toxic(_ name: String, of proxy: String) throws(APIError) -> ToxicDefinition {
        guard let toxic = try self.state(of: proxy).toxic(named: name) else { throw .toxicNotFound }
        return toxic
    }

    /// `POST /proxies/{proxy}/toxics`: adds a toxic at the end of its stream's chain (200, as Toxiproxy).
    /// - Throws: 404, 400 for a bad body, 409 when the proxy already has a toxic of that name.
    func createToxic(_ proxy: String, body: [UInt8]) async throws(APIError) -> ToxicDefinition {
        var state = try self.state(of: proxy)
        let toxic = try ToxicInput(APIBodyValue.parse(body)).definition()
        guard state.toxic(named: toxic.name) == nil else { throw .toxicAlreadyExists }
        state.add(toxic)
        await self.commitToxics(of: state)
        return toxic
    }

    /// `POST` or `PATCH /proxies/{proxy}/toxics/{toxic}`: merges the attributes given into the toxic's and
    /// sets `toxicity` if given.
    /// - Throws: 404, 400 for a bad body.
    func updateToxic(_ name: String, of proxy: String, body: [UInt8]) async throws(APIError) -> ToxicDefinition {
        var state = try self.state(of: proxy)
        let existing = try self.toxic(name, of: proxy)
        let updated = try ToxicInput(APIBodyValue.parse(body)).applied(to: existing)
        state.replace(updated)
        await self.commitToxics(of: state)
        return updated
    }

    /// `DELETE /proxies/{proxy}/toxics/{toxic}`.
    /// - Throws: 404.
    func deleteToxic(_ name: String, of proxy: String) async throws(APIError) {
        var state = try self.state(of: proxy)
        _ = try self.toxic(name, of: proxy)
        state.removeToxic(named: name)
        await self.commitToxics(of: state)
    }

    /// Stores a proxy whose toxics changed and hands the new set to the backend if the proxy is running.
    func commitToxics(of state: ProxyState) async {
        self.store(state)
        if state.definition.enabled {
            await self.backend.updateToxics(proxy: state.name, toxics: state.toxics)
        }
    }
}
