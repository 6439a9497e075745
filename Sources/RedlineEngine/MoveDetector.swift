/// Pairs a removed block with a similar added block elsewhere and turns the pair into one `move`.
///
/// Removed blocks are the left sides of deletes and replaces, added blocks the right sides of inserts
/// and replaces (a moved paragraph often sits next to an unrelated edit, which the diff glues into a
/// replace). Two blocks pair when the Dice coefficient of their word multisets reaches the similarity
/// threshold, or when one contains the other (a moved paragraph followed by a new one): then only the
/// matching span of the larger block moves and the rest stays an insert or delete.
///
/// The move takes the added block's place in the segment list (right-document order), carries the
/// removed block's left range, and remembers where in the right stream the block used to be
/// (`originB`) for the deletion mark. The moved text disappears from its old segment. A block that
/// was edited as well as moved is aligned with itself: its unchanged stretches are `move` segments
/// and the edits inside it stay inserts, deletes and replaces at its new place.
struct MoveDetector {
    var minimumTokens: Int
    var similarity: Double
    /// Upper bound on block pairs examined, so a pathological diff cannot go quadratic.
    var maxPairs = 100_000
    /// Vocabulary size for the aligner that locates a contained block.
    var vocabularySize = 0
    /// Budget of tokens handed to the aligner for containment checks (bounds unrelated documents).
    var maxContainmentTokens = 300_000

    private struct Pairing {
        var score: Double
        var source: Int
        var target: Int
        /// Moved part of the source's left range and of the target's right range.
        var sourceRange: Range<Int>
        var targetRange: Range<Int>
    }

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
        var candidates: [Pairing] = []
        var examined = 0
        var containmentBudget = maxContainmentTokens
        search: for (s, sourceIndex) in sources.enumerated() {
            let source = segments[sourceIndex]
            for (t, targetIndex) in targets.enumerated() where targetIndex != sourceIndex {
                let target = segments[targetIndex]
                let smaller = min(source.a.count, target.b.count)
                let larger = max(source.a.count, target.b.count)
                guard larger <= 20 * smaller else { continue }
                examined += 1
                if examined > maxPairs { break search }
                let (small, large) = sourceHistograms[s].count < targetHistograms[t].count
                    ? (sourceHistograms[s], targetHistograms[t]) : (targetHistograms[t], sourceHistograms[s])
                var common = 0
                for (key, count) in small { common += min(count, large[key] ?? 0) }
                let dice = 2 * Double(common) / Double(smaller + larger)
                if dice >= similarity {
                    candidates.append(Pairing(score: dice, source: sourceIndex, target: targetIndex, sourceRange: source.a, targetRange: target.b))
                } else if Double(common) >= similarity * Double(smaller), containmentBudget >= smaller + larger,
                    let pairing = containedPairing(source: sourceIndex, target: targetIndex, segments, leftTokens, rightTokens)
                {
                    candidates.append(pairing)
                }
                if Double(common) >= similarity * Double(smaller) && dice < similarity {
                    containmentBudget -= smaller + larger
                }
            }
        }
        guard !candidates.isEmpty else { return segments }
        candidates.sort { $0.score > $1.score || ($0.score == $1.score && $0.target < $1.target) }
        var sourceUse: [Int: Pairing] = [:]
        var targetUse: [Int: Pairing] = [:]
        for candidate in candidates where sourceUse[candidate.source] == nil && targetUse[candidate.target] == nil {
            sourceUse[candidate.source] = candidate
            targetUse[candidate.target] = candidate
        }
        var output: [Segment] = []
        output.reserveCapacity(segments.count + 2 * sourceUse.count)
        for (index, segment) in segments.enumerated() {
            let asSource = sourceUse[index]
            let asTarget = targetUse[index]
            if asSource == nil && asTarget == nil {
                output.append(segment)
                continue
            }
            let position = segment.b.lowerBound..<segment.b.lowerBound
            // What stays of the left side: deleted where it was.
            var leftovers: [Range<Int>] = [segment.a]
            if let asSource {
                leftovers = [segment.a.lowerBound..<asSource.sourceRange.lowerBound, asSource.sourceRange.upperBound..<segment.a.upperBound]
            }
            for range in leftovers where !range.isEmpty {
                output.append(Segment(kind: .delete, a: range, b: position))
            }
            let end = segment.a.upperBound..<segment.a.upperBound
            if let asTarget {
                let moved = segments[asTarget.source]
                let before = segment.b.lowerBound..<asTarget.targetRange.lowerBound
                let after = asTarget.targetRange.upperBound..<segment.b.upperBound
                if !before.isEmpty { output.append(Segment(kind: .insert, a: end, b: before)) }
                output.append(
                    contentsOf: movedSegments(
                        from: asTarget.sourceRange, to: asTarget.targetRange, originB: moved.b.lowerBound, leftTokens, rightTokens))
                if !after.isEmpty { output.append(Segment(kind: .insert, a: end, b: after)) }
            } else if !segment.b.isEmpty {
                output.append(Segment(kind: .insert, a: end, b: segment.b))
            }
        }
        return output
    }

    /// A moved block as segments: one `move` when it moved verbatim, otherwise its unchanged runs as
    /// `move` segments and the edits between them as they would read in place.
    private func movedSegments(
        from source: Range<Int>, to target: Range<Int>, originB: Int, _ leftTokens: [Token], _ rightTokens: [Token]
    ) -> [Segment] {
        let left = Array(leftTokens[source])
        let right = Array(rightTokens[target])
        if left.map(\.key) == right.map(\.key) {
            return [Segment(kind: .move, a: source, b: target, originB: originB)]
        }
        let runs = TokenAligner(vocabularySize: vocabularySize).align(left.map(\.key), right.map(\.key))
        let inner = SegmentBuilder.mergeSmallIslands(
            SegmentBuilder.segments(from: runs, leftCount: left.count, rightCount: right.count), leftTokens: left, rightTokens: right)
        return inner.map { segment in
            let a = (segment.a.lowerBound + source.lowerBound)..<(segment.a.upperBound + source.lowerBound)
            let b = (segment.b.lowerBound + target.lowerBound)..<(segment.b.upperBound + target.lowerBound)
            return segment.kind == .match ? Segment(kind: .move, a: a, b: b, originB: originB) : Segment(kind: segment.kind, a: a, b: b)
        }
    }

    /// When one block mostly lies inside the other, aligns them and returns the matching spans.
    private func containedPairing(
        source: Int, target: Int, _ segments: [Segment], _ leftTokens: [Token], _ rightTokens: [Token]
    ) -> Pairing? {
        let a = segments[source].a
        let b = segments[target].b
        let runs = TokenAligner(vocabularySize: vocabularySize).align(leftTokens[a].map(\.key), rightTokens[b].map(\.key))
        guard let first = runs.first, let last = runs.last else { return nil }
        let matched = runs.reduce(0) { $0 + $1.length }
        let sourceSpan = (a.lowerBound + first.a)..<(a.lowerBound + last.a + last.length)
        let targetSpan = (b.lowerBound + first.b)..<(b.lowerBound + last.b + last.length)
        guard sourceSpan.count >= minimumTokens, targetSpan.count >= minimumTokens else { return nil }
        // The spans themselves must be similar, and cover most of the smaller block.
        let dice = 2 * Double(matched) / Double(sourceSpan.count + targetSpan.count)
        guard dice >= similarity, Double(matched) >= similarity * Double(min(a.count, b.count)) else { return nil }
        return Pairing(score: dice * 0.99, source: source, target: target, sourceRange: sourceSpan, targetRange: targetSpan)
    }
}
