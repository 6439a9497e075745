import RedlinePDF

/// An aligned stretch of the two token streams, before it is split per page and turned into wire changes.
struct Segment: Sendable, Equatable {
    var kind: ChangeKind
    /// Left token range (empty for inserts; for deletes in the right stream see `b`).
    var a: Range<Int>
    /// Right token range; for a delete, the empty range at the right position where the text was.
    var b: Range<Int>
    /// For moves: the right-stream position the block was moved away from.
    var originB: Int?

    init(kind: ChangeKind, a: Range<Int>, b: Range<Int>, originB: Int? = nil) {
        self.kind = kind
        self.a = a
        self.b = b
        self.originB = originB
    }

    var isChange: Bool { kind == .delete || kind == .insert || kind == .replace }
}

/// Turns match runs into segments and applies the semantic clean-up.
enum SegmentBuilder {
    /// Equal runs and the gaps between them; a gap with both sides is a replace.
    static func segments(from runs: [MatchRun], leftCount: Int, rightCount: Int) -> [Segment] {
        var segments: [Segment] = []
        var nextA = 0
        var nextB = 0
        for run in runs + [MatchRun(a: leftCount, b: rightCount, length: 0)] {
            if run.a > nextA || run.b > nextB {
                segments.append(gap(nextA..<run.a, nextB..<run.b))
            }
            if run.length > 0 {
                segments.append(Segment(kind: .match, a: run.a..<(run.a + run.length), b: run.b..<(run.b + run.length)))
            }
            nextA = run.a + run.length
            nextB = run.b + run.length
        }
        return segments
    }

    static func gap(_ a: Range<Int>, _ b: Range<Int>) -> Segment {
        let kind: ChangeKind = a.isEmpty ? .insert : (b.isEmpty ? .delete : .replace)
        return Segment(kind: kind, a: a, b: b)
    }

    /// Folds an unchanged island of at most two tokens that sits between changes into one replace when
    /// its tokens are short (<= 3 characters: "the", "of", "a", "§") or both neighbouring changes are at
    /// least 4 words long, so a rewritten sentence reads as one change rather than a patchwork around
    /// "the" and "of". Adjacent changes are always merged.
    static func mergeSmallIslands(_ segments: [Segment], leftTokens: [Token], rightTokens: [Token]) -> [Segment] {
        var output: [Segment] = []
        output.reserveCapacity(segments.count)
        for segment in segments {
            if segment.isChange, output.count >= 2 {
                let island = output[output.count - 1]
                let previous = output[output.count - 2]
                let short = island.a.allSatisfy({ leftTokens[$0].text.count <= 3 })
                    && max(previous.a.count + segment.a.count, previous.b.count + segment.b.count) >= 2
                    && (previous.kind == .replace || segment.kind == .replace || previous.kind != segment.kind)
                let engulfed = max(previous.a.count, previous.b.count) >= 4 && max(segment.a.count, segment.b.count) >= 4
                if island.kind == .match, previous.isChange, island.a.count <= 2, short || engulfed {
                    output.removeLast(2)
                    output.append(gap(previous.a.lowerBound..<segment.a.upperBound, previous.b.lowerBound..<segment.b.upperBound))
                    continue
                }
            }
            if segment.isChange, let last = output.last, last.isChange {
                output[output.count - 1] = gap(last.a.lowerBound..<segment.a.upperBound, last.b.lowerBound..<segment.b.upperBound)
                continue
            }
            output.append(segment)
        }
        return output
    }

    /// Splits match segments where formatting differs into match and `style` segments.
    static func splitStyleChanges(
        _ segments: [Segment], leftTokens: [Token], rightTokens: [Token], options: ComparisonOptions
    ) -> [Segment] {
        var options = options
        if options.compareFontFamilies && fontFamiliesDifferThroughout(segments, leftTokens: leftTokens, rightTokens: rightTokens) {
            options.compareFontFamilies = false
        }
        var output: [Segment] = []
        output.reserveCapacity(segments.count)
        for segment in segments {
            guard segment.kind == .match else {
                output.append(segment)
                continue
            }
            var runStart = 0
            var runIsStyle = false
            let count = segment.a.count
            for offset in 0...count {
                let isStyle: Bool
                if offset < count {
                    let left = leftTokens[segment.a.lowerBound + offset].style
                    let right = rightTokens[segment.b.lowerBound + offset].style
                    isStyle = stylesDiffer(left, right, options: options)
                } else {
                    isStyle = !runIsStyle
                }
                if offset == 0 {
                    runIsStyle = isStyle
                    continue
                }
                if isStyle != runIsStyle || offset == count {
                    output.append(
                        Segment(
                            kind: runIsStyle ? .style : .match,
                            a: (segment.a.lowerBound + runStart)..<(segment.a.lowerBound + offset),
                            b: (segment.b.lowerBound + runStart)..<(segment.b.lowerBound + offset)))
                    runStart = offset
                    runIsStyle = isStyle
                }
            }
        }
        return output
    }

    /// True when most matched words differ in font family only: the documents were produced with
    /// different fonts (Arial vs Helvetica, another PDF producer), which is not a per-word style change.
    static func fontFamiliesDifferThroughout(_ segments: [Segment], leftTokens: [Token], rightTokens: [Token]) -> Bool {
        var matched = 0
        var familyOnly = 0
        for segment in segments where segment.kind == .match {
            for offset in 0..<segment.a.count {
                let left = leftTokens[segment.a.lowerBound + offset].style
                let right = rightTokens[segment.b.lowerBound + offset].style
                matched += 1
                if left.font != right.font && left.bold == right.bold && left.italic == right.italic && left.color == right.color {
                    familyOnly += 1
                }
            }
        }
        return matched >= 20 && Double(familyOnly) > 0.3 * Double(matched)
    }

    static func stylesDiffer(_ left: PDFTextStyle, _ right: PDFTextStyle, options: ComparisonOptions) -> Bool {
        if left.bold != right.bold || left.italic != right.italic || left.color != right.color { return true }
        if abs(left.size - right.size) > options.fontSizeTolerance { return true }
        if options.compareFontFamilies && left.font != right.font { return true }
        return false
    }
}
