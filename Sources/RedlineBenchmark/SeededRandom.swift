/// A small, fast, seeded pseudo-random generator (SplitMix64). The benchmark must produce the same
/// documents for the same seed on every platform and Swift version, so it does not use
/// `SystemRandomNumberGenerator` or the standard library's unspecified algorithms for choices.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (bound > 0). Uses a modulo: the bias is irrelevant for document generation
    /// and, unlike `Int.random(in:using:)`, the mapping is fixed forever.
    public mutating func int(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next() % UInt64(bound))
    }

    /// A value in `range` (inclusive).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(range.count)
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < probability
    }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[int(items.count)]
    }

    /// A derived generator, so independent parts of the generation do not disturb each other's sequences.
    public mutating func fork() -> SeededRandom {
        SeededRandom(seed: next())
    }
}
