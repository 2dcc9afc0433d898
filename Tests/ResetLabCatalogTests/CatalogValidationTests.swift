import Testing

@testable import ResetLabCatalog

@Suite struct CatalogValidationTests {
    private func condition(_ id: String, depth: Condition.Depth = .brief, codes: [ErrorCode] = [], seeAlso: [String] = [])
        -> Condition
    {
        Condition(id: id, title: "Title", depth: depth, summary: "Summary.", codes: codes, seeAlso: seeAlso)
    }

    @Test func findsDuplicateIDsNamesAndDanglingReferences() {
        let code = ErrorCode(namespace: .linux, name: "ECONNRESET", value: 104)
        let catalog = Catalog(conditions: [
            self.condition("a", codes: [code], seeAlso: ["nowhere"]),
            self.condition("a", codes: [code]),
        ])
        let messages = catalog.validate().map(\.message)
        #expect(messages.contains { $0.contains("condition id 'a' is used twice") })
        #expect(messages.contains { $0.contains("code 'linux ECONNRESET' appears in 'a' and again in 'a'") })
        #expect(messages.contains { $0.contains("See-Also 'nowhere' is not a condition") })
    }

    @Test func requiresGuidanceOnDeepEntries() {
        let messages = Catalog(conditions: [self.condition("shallow-deep", depth: .deep)]).validate().map(\.message)
        for field in ["Wire", "Actor", "Causes", "Confirm", "Fix"] {
            #expect(messages.contains("'shallow-deep': deep entry has no \(field)"))
        }
    }

    @Test func checksNamespaceRules() {
        let catalog = Catalog(conditions: [
            self.condition("bad-codes", codes: [
                ErrorCode(namespace: .winsock, name: "ECONNRESET", value: 10054),
                ErrorCode(namespace: .dotnet, name: "ConnectionReset", value: 10054),
                ErrorCode(namespace: .hresult, name: "S_OK", value: 0),
                ErrorCode(namespace: .linux, name: "ECONNRESET", value: 10054),
            ])
        ])
        #expect(catalog.validate().count == 4)
    }

    @Test func theShippedCatalogIsConsistent() throws {
        let catalog = try Catalog.embedded()
        let problems = catalog.validate()
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test func theStoryCodesHaveDeepEntries() throws {
        let catalog = try Catalog.embedded()
        let storyCodes: [(String, Int64)] = [
            ("WSAECONNABORTED", 10053), ("WSAECONNRESET", 10054), ("WSAETIMEDOUT", 10060),
            ("WSAECONNREFUSED", 10061), ("WSAEHOSTUNREACH", 10065), ("ECONNRESET", 104), ("EPIPE", 32),
            ("ECONNABORTED", 103), ("ETIMEDOUT", 110), ("ECONNREFUSED", 111), ("EHOSTUNREACH", 113),
            ("IXP_E_FAILED_TO_CONNECT", 0x800C_CC0E), ("IXP_E_CONNECTION_DROPPED", 0x800C_CC0F),
        ]
        for (name, value) in storyCodes {
            let references = catalog.codes(named: name).filter { $0.code.value == value }
            #expect(!references.isEmpty, "\(name) \(value) is missing")
            for reference in references {
                let condition = catalog.conditions[reference.conditionIndex]
                #expect(condition.depth == .deep, "\(name) should have a deep entry, '\(condition.id)' is brief")
            }
        }
    }

    @Test func everyConditionCanBeFoundByID() throws {
        let catalog = try Catalog.embedded()
        for condition in catalog.conditions {
            #expect(catalog.condition(id: condition.id)?.title == condition.title)
        }
        #expect(catalog.conditions.count > 200)
    }
}
