import ResetLabProxy

/// One direction's chain of toxic stages for one connection. Pure bookkeeping: which stage comes after which,
/// even while toxics are added and removed under live traffic. Lives on its connection's event loop.
struct ToxicChain {
    /// A stage with the name of the toxic it came from and a stable identity.
    struct Slot {
        var id: Int
        var toxic: ToxicDefinition
        var stage: any ToxicStage
    }

    private(set) var slots: [Slot] = []
    private var nextID = 0

    var isEmpty: Bool { self.slots.isEmpty }

    /// The position of a slot, or `nil` once it has been removed.
    func position(of id: Int) -> Int? {
        self.slots.firstIndex { $0.id == id }
    }

    /// Appends a stage; returns its id.
    mutating func append(_ toxic: ToxicDefinition, stage: any ToxicStage) -> Int {
        self.nextID += 1
        self.slots.append(Slot(id: self.nextID, toxic: toxic, stage: stage))
        return self.nextID
    }

    /// Removes the slots whose toxic is not in `keep` (by name and definition); returns the removed positions.
    mutating func retain(_ keep: [ToxicDefinition]) {
        self.slots.removeAll { slot in !keep.contains(slot.toxic) }
    }

    /// Runs `body` on the stage with this id, if it is still there.
    mutating func withStage<Result>(_ id: Int, _ body: (inout any ToxicStage) -> Result) -> Result? {
        guard let index = self.position(of: id) else { return nil }
        return body(&self.slots[index].stage)
    }

    func toxic(_ id: Int) -> ToxicDefinition? {
        self.position(of: id).map { self.slots[$0].toxic }
    }
}
