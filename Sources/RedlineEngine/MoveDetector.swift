/// Pairs a removed block with a similar added block elsewhere and turns the pair into one `move`.
///
/// Removed blocks are the left sides of deletes and replaces, added blocks the right sides of inserts
/// and replaces (a moved paragraph often sits next to an unrelated edit, which the diff glues into a
/// replace). Similarity is the Dice coefficient of the two word multisets.
///
/// The move takes the added block's place in the segment list (right-document order), carries the
/// removed block's left range, and remembers where in the right stream the block used to be
/// (`originB`) for the deletion mark. The removed side disappears from its old segment: a delete
/// vanishes, a replace keeps only its other side.
struct MoveDetector {
    var minimumTokens: Int
    var similarity: Double
    /// Upper bound on block pairs examined, so a pathological diff cannot go quadratic.
    var maxPairs = 200_000

    func detect(_ segments: [Segment], leftTokens: [Token], rightTokens: [Token]) -> [Segment] {
        let sources = segments.indices.filter {
            (segments[$0].kind == .delete || segments[$0].kind == .replace) && segments[$0].a.count >= minimumTokens
        }
        let targets = segments.indices.filter {
            (segments[$0].kind == .insert || segments[$0].kind == .replace) && segments[$0].b.count >= minimumTokens
        }
        guard !sources.isEmpty, !targets.isEmpty else { return segments }
        func histogram(_ tokens: ArraySlice<Token>) -> [Int: Int] {
            var counts: [Int: Int] = [:]
            for token in tokens { counts[token.key, default: 0] += 1 }
            return counts
        }
        let sourceHistograms = sources.map { histogram(leftTokens[segments[$0].a]) }
        let targetHistograms = targets.map { histogram(rightTokens[segments[$0].b]) }
        var candidates: [(score: Double, source: Int, target: Int)] = []
        var examined = 0
        search: for (s, sourceIndex) in sources.enumerated() {
            let sourceCount = segments[sourceIndex].a.count
            for (t, targetIndex) in targets.enumerated() where targetIndex != sourceIndex {
                let targetCount = segments[targetIndex].b.count
                let total = Double(sourceCount + targetCount)
                // Dice can only reach the threshold if the sizes are close.
                guard 2 * Double(min(sourceCount, targetCount)) / total >= similarity else { continue }
                examined += 1
                if examined > maxPairs { break search }
                let (small, large) = sourceHistograms[s].count < targetHistograms[t].count
                    ? (sourceHistograms[s], targetHistograms[t]) : (targetHistograms[t], sourceHistograms[s])
                var common = 0
                for (key, count) in small { common += min(count, large[key] ?? 0) }
                let score = 2 * Double(common) / total
                if score >= similarity { candidates.append((score, sourceIndex, targetIndex)) }
            }
        }
        guard !candidates.isEmpty else { return segments }
        candidates.sort { $0.score > $1.score || ($0.score == $1.score && $0.target < $1.target) }
        var movedAway: Set<Int> = []
        var sourceForTarget: [Int: Int] = [:]
        for candidate in candidates where !movedAway.contains(candidate.source) && sourceForTarget[candidate.target] == nil {
            movedAway.insert(candidate.source)
            sourceForTarget[candidate.target] = candidate.source
        }
        var output: [Segment] = []
        output.reserveCapacity(segments.count)
        for (index, segment) in segments.enumerated() {
            let leftGone = movedAway.contains(index)
            let source = sourceForTarget[index]
            if !leftGone && source == nil {
                output.append(segment)
                continue
            }
            let emptyB = segment.b.lowerBound..<segment.b.lowerBound
            let emptyA = segment.a.upperBound..<segment.a.upperBound
            if !leftGone && !segment.a.isEmpty {
                output.append(Segment(kind: .delete, a: segment.a, b: emptyB))
            }
            if let source {
                let moved = segments[source]
                output.append(Segment(kind: .move, a: moved.a, b: segment.b, originB: moved.b.lowerBound))
            } else if !segment.b.isEmpty {
                output.append(Segment(kind: .insert, a: emptyA, b: segment.b))
            }
        }
        return output
    }
}
