extension ControlAPI {
    /// `POST /proxies`: creates a proxy (with its `toxics`, if any) and starts it unless `enabled` is false.
    /// - Throws: 400 for a bad body, 409 when the name is taken, 500 when the listener cannot be opened
    ///   (the proxy is then not created).
    func createProxy(body: [UInt8]) async throws(APIError) -> ProxyState {
        let (definition, toxics) = try ProxyInput(APIBodyValue.parse(body)).creation()
        guard self.proxies[definition.name] == nil else { throw .proxyAlreadyExists }
        var state = ProxyState(definition: definition, toxics: toxics)
        if definition.enabled {
            state.definition.listen = try await self.start(definition, toxics: state.toxics)
        }
        self.store(state)
        return state
    }

    /// `POST` or `PATCH /proxies/{proxy}`: changes `listen`, `upstream` or `enabled`; fields left out keep
    /// their values. A new address restarts the proxy (live connections are closed); `enabled: false`
    /// closes the listener and every connection; `enabled: true` opens it again.
    /// - Throws: 404, 400 for a bad body, 500 when the listener cannot be opened (the proxy then stays
    ///   with the new addresses, disabled, as in Toxiproxy).
    func updateProxy(_ name: String, body: [UInt8]) async throws(APIError) -> ProxyState {
        var state = try self.state(of: name)
        let wanted = try ProxyInput(APIBodyValue.parse(body)).applied(to: state.definition)
        if wanted.listen != state.definition.listen || wanted.upstream != state.definition.upstream {
            if state.definition.enabled {
                await self.backend.stopProxy(named: name)
                state.definition.enabled = false
            }
            state.definition.listen = wanted.listen
            state.definition.upstream = wanted.upstream
            self.store(state)
        }
        if wanted.enabled && !state.definition.enabled {
            state.definition.listen = try await self.start(state.definition, toxics: state.toxics)
            state.definition.enabled = true
        } else if !wanted.enabled && state.definition.enabled {
            await self.backend.stopProxy(named: name)
            state.definition.enabled = false
        }
        self.store(state)
        return state
    }

    /// `DELETE /proxies/{proxy}`: closes the proxy and forgets it and its toxics.
    /// - Throws: 404.
    func deleteProxy(_ name: String) async throws(APIError) {
        let state = try self.state(of: name)
        if state.definition.enabled {
            await self.backend.stopProxy(named: name)
        }
        self.proxies[name] = nil
        self.order.removeAll { $0 == name }
    }

    /// `POST /reset`: enables every proxy and removes every toxic; proxies are kept.
    ///
    /// Unlike Toxiproxy, which stops at the first proxy that cannot listen, every proxy is reset and the
    /// first failure is reported afterwards.
    /// - Throws: 500 with the first listen error.
    func reset() async throws(APIError) {
        var firstFailure: APIError?
        for name in self.order {
            guard var state = self.proxies[name] else { continue }
            if !state.toxics.isEmpty {
                state.setToxics([])
                self.store(state)
                if state.definition.enabled {
                    await self.backend.updateToxics(proxy: name, toxics: [])
                }
            }
            if !state.definition.enabled {
                do throws(APIError) {
                    state.definition.listen = try await self.start(state.definition, toxics: [])
                    state.definition.enabled = true
                    self.store(state)
                } catch {
                    firstFailure = firstFailure ?? error
                }
            }
        }
        if let firstFailure {
            throw firstFailure
        }
    }
}
