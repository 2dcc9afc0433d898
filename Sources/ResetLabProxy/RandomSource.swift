/// Where toxics get randomness (latency jitter, slicer sizes, toxicity): injected so tests are repeatable.
public protocol RandomSource: Sendable {
    /// A uniformly distributed value in `range`.
    mutating func next(in range: ClosedRange<Int64>) -> Int64
    /// A uniformly distributed value in 0..<1.
    mutating func nextUnit() -> Double
}

/// The system's random number generator.
public struct SystemRandomSource: RandomSource {
    private var generator = SystemRandomNumberGenerator()

    public init() {}

    public mutating func next(in range: ClosedRange<Int64>) -> Int64 {
        Int64.random(in: range, using: &self.generator)
    }

    public mutating func nextUnit() -> Double {
        Double.random(in: 0..<1, using: &self.generator)
    }
}

/// A deterministic generator (SplitMix64) for tests and `--seed`.
public struct SeededRandomSource: RandomSource {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    private mutating func nextBits() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    public mutating func next(in range: ClosedRange<Int64>) -> Int64 {
        let width = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        guard width != 0 else { return Int64(bitPattern: self.nextBits()) }
        return range.lowerBound &+ Int64(bitPattern: self.nextBits() % width)
    }

    public mutating func nextUnit() -> Double {
        Double(self.nextBits() >> 11) / Double(1 << 53)
    }
}
