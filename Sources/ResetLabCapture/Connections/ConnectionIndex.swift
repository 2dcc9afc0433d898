import CResetLabPrefetch

/// Finds a live connection's slot from its 4-tuple's hash: an open-addressing table with linear probing
/// and backward-shift deletion. It is consulted for every packet of a capture, so each entry is one
/// 64-bit word (the hash and the slot), and the 4-tuple itself is compared where it already is, in the
/// connection the slot holds: one memory access fewer per packet than storing the keys here.
struct ConnectionIndex: Sendable {
    /// `hash << 32 | (slot + 1)`; 0 marks an empty position.
    private var entries: [UInt64]
    private var mask: Int
    /// Entries stored.
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.entries = [UInt64](repeating: 0, count: size)
        self.mask = size - 1
    }

    /// The slot stored under `hash` for which `matches` is true, if any.
    @inline(__always)
    func slot(hash: UInt32, where matches: (Int) -> Bool) -> Int? {
        var position = Int(hash) & self.mask
        while true {
            let entry = self.entries[position]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let slot = Int(truncatingIfNeeded: entry & 0xffff_ffff) - 1
                if matches(slot) { return slot }
            }
            position = (position + 1) & self.mask
        }
    }

    /// Starts loading the table position where a lookup of `hash` begins.
    @inline(__always)
    func prefetchEntry(hash: UInt32) {
        self.entries.withUnsafeBufferPointer { entries in
            if let base = entries.baseAddress { rl_prefetch_for_update(base + (Int(hash) & self.mask)) }
        }
    }

    /// The first slot stored under `hash`, without checking that it is the wanted connection: enough to
    /// prefetch it.
    @inline(__always)
    func firstSlot(hash: UInt32) -> Int? {
        var position = Int(hash) & self.mask
        while true {
            let entry = self.entries[position]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                return Int(truncatingIfNeeded: entry & 0xffff_ffff) - 1
            }
            position = (position + 1) & self.mask
        }
    }

    /// Stores `slot` under `hash`.
    mutating func insert(hash: UInt32, slot: Int) {
        if (self.count + 1) * 2 > self.entries.count { self.grow() }
        self.place(UInt64(hash) << 32 | UInt64(slot + 1))
        self.count += 1
    }

    /// Removes the entry for `slot` stored under `hash`, if present.
    mutating func remove(hash: UInt32, slot: Int) {
        let wanted = UInt64(hash) << 32 | UInt64(slot + 1)
        var hole = Int(hash) & self.mask
        while true {
            let entry = self.entries[hole]
            if entry == 0 { return }
            if entry == wanted { break }
            hole = (hole + 1) & self.mask
        }
        // Shift later members of the probe run back, so that no lookup stops early at the hole.
        var next = hole
        while true {
            next = (next + 1) & self.mask
            let entry = self.entries[next]
            if entry == 0 { break }
            let home = Int(truncatingIfNeeded: entry >> 32) & self.mask
            let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if stays { continue }
            self.entries[hole] = entry
            hole = next
        }
        self.entries[hole] = 0
        self.count -= 1
    }

    /// Every stored slot, in table order.
    var slots: [Int] {
        self.entries.compactMap { $0 == 0 ? nil : Int(truncatingIfNeeded: $0 & 0xffff_ffff) - 1 }
    }

    private mutating func place(_ entry: UInt64) {
        var position = Int(truncatingIfNeeded: entry >> 32) & self.mask
        while self.entries[position] != 0 { position = (position + 1) & self.mask }
        self.entries[position] = entry
    }

    private mutating func grow() {
        let old = self.entries
        self.entries = [UInt64](repeating: 0, count: old.count * 2)
        self.mask = self.entries.count - 1
        for entry in old where entry != 0 { self.place(entry) }
    }
}
