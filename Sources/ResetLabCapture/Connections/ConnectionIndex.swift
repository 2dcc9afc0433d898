/// Finds a live connection's slot from its 4-tuple: an open-addressing hash table with linear probing and
/// backward-shift deletion, hashed with a few multiplications instead of SipHash, because it is consulted
/// for every packet of the capture.
struct ConnectionIndex: Sendable {
    private var keys: [ConnectionKey]
    private var hashes: [UInt32]
    /// The connection slot stored at each position; -1 marks an empty position.
    private var slots: [Int32]
    private var mask: Int
    /// Entries stored.
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.keys = [ConnectionKey](repeating: ConnectionKey.empty, count: size)
        self.hashes = [UInt32](repeating: 0, count: size)
        self.slots = [Int32](repeating: -1, count: size)
        self.mask = size - 1
    }

    /// The slot stored for `key`, if any.
    @inline(__always)
    func slot(for key: ConnectionKey) -> Int? {
        let hash = key.fastHash
        var position = Int(hash) & self.mask
        while true {
            let slot = self.slots[position]
            if slot < 0 { return nil }
            if self.hashes[position] == hash && self.keys[position] == key { return Int(slot) }
            position = (position + 1) & self.mask
        }
    }

    /// Stores `slot` for `key`, which must not be present.
    mutating func insert(_ key: ConnectionKey, slot: Int) {
        if (self.count + 1) * 2 > self.slots.count { self.grow() }
        let hash = key.fastHash
        var position = Int(hash) & self.mask
        while self.slots[position] >= 0 { position = (position + 1) & self.mask }
        self.keys[position] = key
        self.hashes[position] = hash
        self.slots[position] = Int32(slot)
        self.count += 1
    }

    /// Removes `key` if present.
    mutating func remove(_ key: ConnectionKey) {
        let hash = key.fastHash
        var hole = Int(hash) & self.mask
        while true {
            if self.slots[hole] < 0 { return }
            if self.hashes[hole] == hash && self.keys[hole] == key { break }
            hole = (hole + 1) & self.mask
        }
        // Shift later members of the probe run back, so that no lookup stops early at the hole.
        var next = hole
        while true {
            next = (next + 1) & self.mask
            if self.slots[next] < 0 { break }
            let home = Int(self.hashes[next]) & self.mask
            let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if stays { continue }
            self.keys[hole] = self.keys[next]
            self.hashes[hole] = self.hashes[next]
            self.slots[hole] = self.slots[next]
            hole = next
        }
        self.slots[hole] = -1
        self.count -= 1
    }

    /// Every stored (key, slot) pair, in table order.
    var entries: [(key: ConnectionKey, slot: Int)] {
        self.slots.indices.compactMap { position in
            self.slots[position] >= 0 ? (self.keys[position], Int(self.slots[position])) : nil
        }
    }

    private mutating func grow() {
        let old = (self.keys, self.hashes, self.slots)
        let size = self.slots.count * 2
        self.keys = [ConnectionKey](repeating: ConnectionKey.empty, count: size)
        self.hashes = [UInt32](repeating: 0, count: size)
        self.slots = [Int32](repeating: -1, count: size)
        self.mask = size - 1
        for position in old.2.indices where old.2[position] >= 0 {
            var target = Int(old.1[position]) & self.mask
            while self.slots[target] >= 0 { target = (target + 1) & self.mask }
            self.keys[target] = old.0[position]
            self.hashes[target] = old.1[position]
            self.slots[target] = old.2[position]
        }
    }
}
