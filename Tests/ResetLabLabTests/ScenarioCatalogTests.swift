import ResetLabCatalog
import Testing

@testable import ResetLabLab

@Suite struct ScenarioCatalogTests {
    @Test func idsAreUnique() {
        let ids = LabScenario.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(LabScenario.named(id)?.id == id)
        }
        #expect(LabScenario.named("no-such-scenario") == nil)
    }

    @Test(arguments: LabScenario.all)
    func startsWithTheServerListening(_ scenario: LabScenario) {
        let first = scenario.steps.first
        #expect(first?.actor == .server)
        #expect(first?.action == .listen)
    }

    @Test(arguments: LabScenario.all)
    func explainsKnownConditions(_ scenario: LabScenario) throws {
        let catalog = try Catalog.embedded()
        for id in scenario.explains {
            #expect(catalog.condition(id: id) != nil, "\(scenario.id) explains unknown \(id)")
        }
    }
}
