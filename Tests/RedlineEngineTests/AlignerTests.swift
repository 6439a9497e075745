import Foundation
import Testing
@testable import RedlineEngine

@Suite("Token alignment")
struct AlignerTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func lcsLength(_ a: [Int], _ b: [Int]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var current = [Int](repeating: 0, count: b.count + 1)
            for (j, y) in b.enumerated() {
                current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            previous = current
        }
        return previous[b.count]
    }

    static func check(_ runs: [MatchRun], _ a: [Int], _ b: [Int]) -> Int {
        var lastA = 0
        var lastB = 0
        var total = 0
        for run in runs {
            #expect(run.a >= lastA && run.b >= lastB)
            for offset in 0..<run.length { #expect(a[run.a + offset] == b[run.b + offset]) }
            lastA = run.a + run.length
            lastB = run.b + run.length
            total += run.length
        }
        return total
    }

    @Test("small ranges get a longest common subsequence (Myers)", arguments: 0..<40)
    func minimal(seed: Int) {
        var random = Generator(state: UInt64(seed + 1))
        let a = (0..<random.next(60)).map { _ in random.next(6) }
        let b = (0..<random.next(60)).map { _ in random.next(6) }
        let runs = TokenAligner(vocabularySize: 6).align(a, b)
        #expect(Self.check(runs, a, b) == Self.lcsLength(a, b))
    }

    @Test("a long stretch wins over a few unique words that moved")
    func heaviestChain() {
        // Tokens 1000... are unique; the 2400-token stretch repeats a small vocabulary except for one unique token.
        var random = Generator(state: 3)
        var stretch = (0..<2_400).map { _ in random.next(20) }
        stretch[1_200] = 999
        let heading = [1000, 1001, 1002]
        let a = heading + stretch
        let b = stretch + heading
        let runs = TokenAligner(vocabularySize: 1003).align(a, b)
        #expect(Self.check(runs, a, b) == stretch.count)
    }

    @Test("edited sequences keep everything that did not change")
    func edits() {
        var random = Generator(state: 99)
        let a = (0..<20_000).map { _ in random.next(3_000) }
        var b = a
        for _ in 0..<200 { b[random.next(b.count)] = 3_000 + random.next(100) }
        for _ in 0..<100 { b.insert(random.next(3_000), at: random.next(b.count)) }
        for _ in 0..<100 { b.remove(at: random.next(b.count)) }
        let runs = TokenAligner(vocabularySize: 3_100).align(a, b)
        let matched = Self.check(runs, a, b)
        #expect(matched >= a.count - 300 - 5)
    }

    @Test("large inputs stay fast, including unrelated texts over a tiny vocabulary")
    func performance() {
        var random = Generator(state: 5)
        let a = (0..<150_000).map { _ in random.next(20_000) }
        var b = a
        for _ in 0..<2_000 { b[random.next(b.count)] = random.next(20_000) }
        let clock = ContinuousClock()
        let similar = clock.measure { _ = TokenAligner(vocabularySize: 20_000).align(a, b) }
        #expect(similar < .seconds(3))
        let x = (0..<100_000).map { _ in random.next(40) }
        let y = (0..<100_000).map { _ in random.next(40) }
        let unrelated = clock.measure { _ = TokenAligner(vocabularySize: 40).align(x, y) }
        #expect(unrelated < .seconds(10))
    }
}
