/// Pairs a deleted block with a similar inserted block elsewhere and turns the pair into one `move`.
///
/// The move takes the insert's place in the segment list (right-document order), keeps the deleted
/// block's left range, and remembers where in the right stream the block used to be (`originB`) so the
/// change can carry a deletion mark at the old place. The delete segment is dropped.
struct MoveDetector {
    var minimumTokens: Int
    var similarity: Double
    /// Upper bound on block pairs examined, so a pathological diff cannot go quadratic.
    var maxPairs = 200_000

    func detect(_ segments: [Segment], leftTokens: [Token], rightTokens: [Token]) -> [Segment] {
        let deletes = segments.indices.filter { segments[$0].kind == .delete && segments[$0].a.count >= minimumTokens }
        let inserts = segments.indices.filter { segments[$0].kind == .insert && segments[$0].b.count >= minimumTokens }
        guard !deletes.isEmpty, !inserts.isEmpty else { return segments }
        func histogram(_ tokens: ArraySlice<Token>) -> [Int: Int] {
            var counts: [Int: Int] = [:]
            for token in tokens { counts[token.key, default: 0] += 1 }
            return counts
        }
        let deleteHistograms = deletes.map { histogram(leftTokens[segments[$0].a]) }
        let insertHistograms = inserts.map { histogram(rightTokens[segments[$0].b]) }
        var candidates: [(score: Double, delete: Int, insert: Int)] = []
        var examined = 0
        for (d, deleteIndex) in deletes.enumerated() {
            let deleteCount = segments[deleteIndex].a.count
            for (i, insertIndex) in inserts.enumerated() {
                let insertCount = segments[insertIndex].b.count
                let total = Double(deleteCount + insertCount)
                // Dice can only reach the threshold if sizes are close.
                guard 2 * Double(min(deleteCount, insertCount)) / total >= similarity else { continue }
                examined += 1
                if examined > maxPairs { break }
                var common = 0
                let (small, large) = deleteHistograms[d].count < insertHistograms[i].count
                    ? (deleteHistograms[d], insertHistograms[i]) : (insertHistograms[i], deleteHistograms[d])
                for (key, count) in small { common += min(count, large[key] ?? 0) }
                let score = 2 * Double(common) / total
                if score >= similarity { candidates.append((score, deleteIndex, insertIndex)) }
            }
        }
        guard !candidates.isEmpty else { return segments }
        candidates.sort { $0.score > $1.score || ($0.score == $1.score && $0.insert < $1.insert) }
        var usedDeletes: Set<Int> = []
        var usedInserts: Set<Int> = []
        var output = segments
        var removed: Set<Int> = []
        for candidate in candidates where !usedDeletes.contains(candidate.delete) && !usedInserts.contains(candidate.insert) {
            usedDeletes.insert(candidate.delete)
            usedInserts.insert(candidate.insert)
            let deleted = segments[candidate.delete]
            output[candidate.insert] = Segment(
                kind: .move, a: deleted.a, b: segments[candidate.insert].b, originB: deleted.b.lowerBound)
            removed.insert(candidate.delete)
        }
        return output.indices.filter { !removed.contains($0) }.map { output[$0] }
    }
}
