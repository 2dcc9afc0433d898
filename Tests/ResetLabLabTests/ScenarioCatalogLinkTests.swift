import ResetLabCatalog
import Testing

@testable import ResetLabLab

/// Each scenario names the `explain` entries it demonstrates, and those entries point back to it.
@Suite struct ScenarioCatalogLinkTests {
    private let catalog: Catalog

    init() throws {
        self.catalog = try Catalog.embedded()
    }

    @Test(arguments: LabScenario.all)
    func scenarioAndCatalogPointAtEachOther(_ scenario: LabScenario) throws {
        for id in scenario.explains {
            let condition = try #require(self.catalog.condition(id: id), "\(scenario.id) explains unknown '\(id)'")
            #expect(condition.labScenarios.contains(scenario.id), "'\(id)' does not list \(scenario.id) in its Lab field")
        }
    }

    @Test func everyLabFieldNamesARealScenarioThatExplainsIt() {
        for condition in self.catalog.conditions {
            for id in condition.labScenarios {
                guard let scenario = LabScenario.named(id) else {
                    Issue.record("'\(condition.id)' names unknown scenario '\(id)'")
                    continue
                }
                #expect(scenario.explains.contains(condition.id), "\(id) does not list '\(condition.id)'")
            }
        }
    }

    @Test func theStoryConditionsHaveAScenario() {
        for id in ["connection-reset", "connection-aborted", "broken-pipe", "connection-refused", "timed-out"] {
            #expect(self.catalog.condition(id: id)?.labScenarios.isEmpty == false, "\(id) has no lab scenario")
        }
    }
}

extension LabScenario: CustomTestStringConvertible {
    public var testDescription: String { self.id }
}
