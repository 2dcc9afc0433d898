/// A scenario's declared RSTs (``LabScenario/resetExpectations``) against the ones its run produced.
///
/// Both lists are compared in order, one for one: a RST with the wrong reason, a missing one and an extra one
/// each fail the scenario. RSTs sent by no socket are only visible in a capture, so without one only the
/// kernel's RSTs are compared.
public struct LabResetCheck: Sendable, Hashable {
    /// The expectations compared (all of them, or only the kernel's when nothing was captured).
    public var expected: [ResetExpectation]
    /// The RSTs compared with them, in time order.
    public var observed: [LabReset]
    /// Expectations left out because only a capture could show them.
    public var unchecked: [ResetExpectation]

    /// - Parameters:
    ///   - expectations: what the scenario declares, in order.
    ///   - resets: what the run attributed to the scenario, in time order.
    ///   - captured: whether packets were captured (without them a forged RST cannot be seen).
    public init(_ expectations: [ResetExpectation], resets: [LabReset], captured: Bool) {
        if captured {
            self.expected = expectations
            self.observed = resets
            self.unchecked = []
        } else {
            let isKernel = { (origin: ResetExpectation.Origin) in if case .kernel = origin { true } else { false } }
            self.expected = expectations.filter { isKernel($0.origin) }
            self.observed = resets.filter { if case .kernel = $0.origin { true } else { false } }
            self.unchecked = expectations.filter { !isKernel($0.origin) }
        }
    }

    /// Whether the expectation at `index` of ``expected`` met the RST in the same place.
    public func isMet(at index: Int) -> Bool {
        guard index < self.expected.count, index < self.observed.count else { return false }
        return self.expected[index].isMet(by: self.observed[index])
    }

    /// The observed RSTs beyond the expected ones.
    public var unexpected: [LabReset] { Array(self.observed.dropFirst(self.expected.count)) }

    /// Every expectation met and no RST more.
    public var isMet: Bool {
        self.expected.count == self.observed.count && self.expected.indices.allSatisfy(self.isMet(at:))
    }

    /// What differed, as one failure line for the scenario; `nil` when everything was as expected.
    public func failure(firewall: FirewallRule? = nil) -> String? {
        guard !self.isMet else { return nil }
        let expected = self.expected.isEmpty ? "no RST" : self.expected.map(\.description).joined(separator: ", then ")
        let wording = LabResetWording(firewall: firewall)
        let observed = self.observed.isEmpty ? "none" : self.observed.map(wording.brief).joined(separator: ", then ")
        return "resets: expected \(expected); the kernel's account: \(observed)"
    }
}
