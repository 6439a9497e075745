import Foundation
import RedlineBenchmark
import RedlineEngine
import Testing

/// Builds change details from a ground truth the way a perfect engine would report it: one change per
/// edit and page, regions from the generator's word positions.
enum PerfectReport {
    static func details(for pair: BenchmarkPair, dropping dropped: Set<Int> = []) -> ChangeDetails {
        var changes: [Change] = []
        for (index, edit) in pair.truth.edits.enumerated() where !dropped.contains(index) {
            let kind: ChangeKind
            switch edit.kind {
            case .style: kind = .style
            case .move: kind = .move
            default: kind = edit.left.isEmpty ? .insert : (edit.right.isEmpty ? .delete : .replace)
            }
            let leftPieces = pieces(Array(edit.left), side: pair.leftSide)
            let rightPieces = pieces(Array(edit.right), side: pair.rightSide)
            for piece in 0..<max(leftPieces.count, rightPieces.count) {
                let left = piece < leftPieces.count ? leftPieces[piece] : nil
                let right = piece < rightPieces.count ? rightPieces[piece] : nil
                var pieceKind = kind
                if kind == .replace && left == nil { pieceKind = .insert }
                if kind == .replace && right == nil { pieceKind = .delete }
                changes.append(
                    Change(
                        kind: pieceKind, leftText: left.map { text($0, pair.left.words) }, rightText: right.map { text($0, pair.right.words) },
                        leftRegion: left.map { region($0, pair.leftSide) }, rightRegion: right.map { region($0, pair.rightSide) }))
            }
        }
        return details(changes)
    }

    static func details(_ changes: [Change]) -> ChangeDetails {
        let empty = DocumentSummary(pageCount: 0, characterCount: 0, wordCount: 0)
        return ChangeDetails(
            changes: changes,
            summary: ChangeSummaryDocument(
                anyChanges: !changes.isEmpty, anyMatches: true, changeSummary: ChangeSummary(), leftDocumentSummary: empty,
                rightDocumentSummary: empty))
    }

    /// Word IDs split where the page changes.
    static func pieces(_ ids: [Int], side: RenderedSide) -> [[Int]] {
        var result: [[Int]] = []
        for id in ids {
            if let last = result.last?.last, side.body[last].page == side.body[id].page {
                result[result.count - 1].append(id)
            } else {
                result.append([id])
            }
        }
        return result
    }

    static func text(_ ids: [Int], _ words: [BenchWord]) -> String {
        ids.map { words[$0].text }.joined(separator: " ")
    }

    /// One rectangle per line: the union of the words' boxes.
    static func region(_ ids: [Int], _ side: RenderedSide) -> ChangeRegion {
        region(ids.map { side.body[$0] })
    }

    static func region(_ words: [PlacedWord]) -> ChangeRegion {
        var lines: [Double: WireRectangle] = [:]
        for word in words {
            let box = WireRectangle(left: word.left, top: word.baseline - 0.9 * word.size, right: word.right, bottom: word.baseline + 0.25 * word.size)
            if let line = lines[word.baseline] {
                lines[word.baseline] = WireRectangle(
                    left: min(line.left, box.left), top: min(line.top, box.top), right: max(line.right, box.right),
                    bottom: max(line.bottom, box.bottom))
            } else {
                lines[word.baseline] = box
            }
        }
        return ChangeRegion(pageIndex: words.first?.page ?? 0, rectangles: lines.sorted { $0.key < $1.key }.map(\.value))
    }
}

@Suite("Comparison benchmark")
struct BenchmarkTests {
    static func scorer(_ pair: BenchmarkPair) -> Scorer {
        Scorer(truth: pair.truth, leftWordCount: pair.left.words.count, rightWordCount: pair.right.words.count)
    }

    @Test("the generator is deterministic for a seed")
    func deterministic() throws {
        let first = try BenchmarkPair.generate(pages: 5, seed: 7)
        let second = try BenchmarkPair.generate(pages: 5, seed: 7)
        #expect(first.left == second.left)
        #expect(first.right == second.right)
        #expect(first.truth == second.truth)
        #expect(first.leftSide.body == second.leftSide.body)
        #expect(first.rightSide.body == second.rightSide.body)
        #expect(first.leftSide.pageCount == second.leftSide.pageCount)
        let other = try BenchmarkPair.generate(pages: 5, seed: 8)
        #expect(other.left != first.left)
    }

    @Test("a 5-page pair is contract-like and has every kind of edit")
    func contents() throws {
        let pair = try BenchmarkPair.generate(pages: 5, seed: 3)
        #expect((4...7).contains(pair.leftSide.pageCount))
        #expect(Set(pair.truth.edits.map(\.kind)) == Set(EditKind.allCases))
        #expect(pair.truth.edits.filter { $0.kind == .move }.count == 1)
        #expect(pair.truth.reflowLeft.count >= 2)
        let words = pair.left.words
        #expect(words.contains { $0.bold && $0.text.hasPrefix("“") })
        #expect(words.contains { $0.italic })
        #expect(words.contains { $0.text == "EUR" })
        #expect(pair.left.blocks.contains { $0.kind == .tableRow })
        // Every page has the running header and the "Page n of N" footer.
        let pagesWithFooter = Set(pair.leftSide.furniture.filter { $0.text == "Page" }.map(\.page))
        #expect(pagesWithFooter.count == pair.leftSide.pageCount)
        #expect(pair.leftSide.furniture.contains { $0.text == "\(pair.leftSide.pageCount)" })
        // Reflow-only paragraphs really have other line breaks.
        for (left, right) in zip(pair.truth.reflowLeft, pair.truth.reflowRight) {
            let leftBreaks = left.map { pair.leftSide.body[$0].baseline }
            let rightBreaks = right.map { pair.rightSide.body[$0].baseline }
            let leftLines = zip(leftBreaks, leftBreaks.dropFirst()).filter { $0 != $1 }.count
            let rightLines = zip(rightBreaks, rightBreaks.dropFirst()).filter { $0 != $1 }.count
            #expect(leftLines != rightLines)
            #expect(left.map { pair.left.words[$0] } == right.map { pair.right.words[$0] })
        }
    }

    @Test("the ground truth is consistent: applying the edits to the left text gives the right text", arguments: [5, 20])
    func groundTruth(pages: Int) throws {
        let pair = try BenchmarkPair.generate(pages: pages, seed: 11)
        #expect(pair.truth.apply(to: pair.left.words) == pair.right.words)
        for edit in pair.truth.edits {
            #expect(Array(pair.left.words[edit.left]) == edit.leftWords)
            #expect(Array(pair.right.words[edit.right]) == edit.rightWords)
            if edit.kind == .style || edit.kind == .move {
                #expect(edit.leftWords.map(\.text) == edit.rightWords.map(\.text))
            }
        }
        // Edits never overlap, and reflow-only paragraphs are untouched.
        var touched = Set<Int>()
        for edit in pair.truth.edits {
            #expect(touched.isDisjoint(with: edit.left))
            touched.formUnion(edit.left)
        }
        for range in pair.truth.reflowLeft { #expect(touched.isDisjoint(with: range)) }
        // Every word the renderer placed is the document's word, in order.
        #expect(pair.leftSide.body.map(\.text) == pair.left.words.map(\.text))
        #expect(pair.rightSide.body.map(\.text) == pair.right.words.map(\.text))
    }

    @Test("a perfect report scores recall 1 and precision 1; a missing edit and a spurious change are penalised")
    func scorer() throws {
        let pair = try BenchmarkPair.generate(pages: 5, seed: 5)
        let mapper = ChangeMapper(left: pair.leftSide, right: pair.rightSide)
        let perfect = Self.scorer(pair).score(mapper.reportedChanges(PerfectReport.details(for: pair)))
        #expect(perfect.recall == 1)
        #expect(perfect.precision == 1)
        #expect(perfect.styleRecall == 1)
        #expect(perfect.reflowOnlyReported == 0)
        #expect(perfect.moveReportedAsMove == true)
        #expect(perfect.mappingMismatches == 0)

        // Missing one text edit: recall drops by exactly that edit.
        let missing = try #require(pair.truth.edits.firstIndex { $0.kind == .amount })
        let withoutOne = Self.scorer(pair).score(mapper.reportedChanges(PerfectReport.details(for: pair, dropping: [missing])))
        #expect(withoutOne.textRecalled == perfect.textRecalled - 1)
        #expect(withoutOne.missed == [pair.truth.edits[missing]])
        #expect(withoutOne.precision == 1)

        // A spurious change over unchanged words, header/footer churn and a reflowed paragraph reported.
        let edited = Set(pair.truth.edits.flatMap { Array($0.right) })
        let reflowed = Set(pair.truth.reflowRight.flatMap { Array($0) })
        let unchanged = try #require((0..<pair.right.words.count).first { !edited.contains($0) && !reflowed.contains($0) && $0 > 50 })
        let spurious = Change(kind: .replace, leftText: "x", rightText: pair.right.words[unchanged].text, rightRegion: PerfectReport.region([unchanged], pair.rightSide))
        let footer = pair.rightSide.furniture.filter { $0.page == 1 && $0.text == "Page" }
        let churn = Change(kind: .replace, leftText: "Page", rightText: "Page", rightRegion: PerfectReport.region(footer))
        let reflowWord = try #require(pair.truth.reflowRight.first?.first)
        let reflow = Change(kind: .insert, rightText: pair.right.words[reflowWord].text, rightRegion: PerfectReport.region([reflowWord], pair.rightSide))
        var noisy = PerfectReport.details(for: pair)
        noisy.changes += [spurious, churn, reflow]
        let noisyScore = Self.scorer(pair).score(mapper.reportedChanges(noisy))
        #expect(noisyScore.recall == 1)
        #expect(noisyScore.truePositives == perfect.truePositives)
        #expect(noisyScore.reported == perfect.reported + 3)
        #expect(noisyScore.falsePositives == [.unchanged: 1, .furniture: 1, .reflow: 1])
        #expect(noisyScore.reflowOnlyReported == 1)
        #expect(noisyScore.precision < 1)

        // An edit reported in two pieces is a split; a whole-paragraph change for a word edit is oversized.
        let word = try #require(pair.truth.edits.first { $0.kind == .name })
        let pieces = word.right.map { id in
            Change(kind: .replace, leftText: "?", rightText: pair.right.words[id].text, rightRegion: PerfectReport.region([id], pair.rightSide))
        }
        let split = Self.scorer(pair).score(mapper.reportedChanges(PerfectReport.details(pieces)))
        #expect(split.falsePositives == [.split: 1])
        let wide = (word.right.lowerBound - 10)..<(word.right.upperBound + 10)
        let oversized = Change(kind: .replace, leftText: "?", rightText: "?", rightRegion: PerfectReport.region(Array(wide), pair.rightSide))
        #expect(Self.scorer(pair).score(mapper.reportedChanges(PerfectReport.details([oversized]))).falsePositives == [.oversized: 1])
    }

    @Test("pieces of one change split at a page break are joined")
    func pageSplits() {
        let first = ReportedChange(kind: .replace, left: [10, 11], right: [20, 21], leftPage: 1, rightPage: 1)
        let second = ReportedChange(kind: .delete, left: [12, 13], right: [], leftPage: 2)
        let furniture = ReportedChange(kind: .replace, left: [], right: [], furnitureWords: 2, leftPage: 2, rightPage: 2)
        let joined = Scorer.joinPageSplits([first, furniture, second])
        #expect(joined.count == 2)
        #expect(joined[0].left == [10, 11, 12, 13] && joined[0].kind == .replace)
        // Not contiguous, or on the same page: separate changes.
        let apart = ReportedChange(kind: .delete, left: [15], right: [], leftPage: 2)
        #expect(Scorer.joinPageSplits([first, apart]).count == 2)
        let samePage = ReportedChange(kind: .delete, left: [12], right: [], leftPage: 1)
        #expect(Scorer.joinPageSplits([first, samePage]).count == 2)
    }

    @Test("peer text words map back to generated words, resynchronising after noise")
    func textMapping() throws {
        let pair = try BenchmarkPair.generate(pages: 5, seed: 2)
        var words = pair.leftSide.layoutOrder.map { pair.leftSide.text(of: $0) }
        let exact = TextWordMapping(textWords: words, side: pair.leftSide)
        #expect(exact.unmatched == 0)
        #expect(exact.refs.compactMap { $0 }.count == words.count)
        words.insert("garbage", at: 100)
        let noisy = TextWordMapping(textWords: words, side: pair.leftSide)
        #expect(noisy.unmatched == 1)
        #expect(noisy.refs[100] == nil)
        #expect(noisy.refs[101] == exact.refs[100])
    }

    @Test("the report replaces only its own section of docs/benchmarks.md")
    func sectionReplacement() {
        let existing = "# Benchmarks\n\nIntro.\n\n## Service\n\nService numbers.\n\n## Comparison engine\n\nOld numbers.\n\n## Other\n\nOther numbers.\n"
        let replaced = BenchmarkReport.replaceSection(in: existing, with: "## Comparison engine\n\nNew numbers.\n")
        #expect(replaced.contains("## Service\n\nService numbers."))
        #expect(replaced.contains("## Comparison engine\n\nNew numbers.\n\n## Other\n\nOther numbers."))
        #expect(!replaced.contains("Old numbers"))
        let appended = BenchmarkReport.replaceSection(in: "# Benchmarks\n\n## Service\n\nS.\n", with: "## Comparison engine\n\nN.\n")
        #expect(appended.hasSuffix("## Service\n\nS.\n\n## Comparison engine\n\nN.\n"))
        #expect(BenchmarkReport.replaceSection(in: "", with: "## Comparison engine\n\nN.\n").hasPrefix("# Benchmarks"))
    }

    /// Behavioural, not timed: the real engine on a generated 5-page pair reaches the accuracy targets.
    @Test("the engine reaches the accuracy targets on a 5-page pair")
    func engineTargets() throws {
        let pair = try BenchmarkPair.generate(pages: 5, seed: 1)
        let result = try ComparisonEngine().compare(left: pair.leftSide.pdf, right: pair.rightSide.pdf)
        let changes = ChangeMapper(left: pair.leftSide, right: pair.rightSide).reportedChanges(result.changeDetails)
        let score = Self.scorer(pair).score(changes)
        let misses = (score.missed + score.missedStyle).map { "\($0.kind.rawValue): \($0.leftText) -> \($0.rightText)" }
        #expect(score.recall >= 0.995, "missed: \(misses)")
        #expect(score.precision >= 0.98, "false positives: \(score.falsePositiveExamples)")
        #expect(score.styleRecall >= 0.9, "missed: \(misses)")
        #expect(score.reflowOnlyReported == 0)
        #expect(score.moveReportedAsMove == true)
        #expect(score.mappingMismatches == 0)
    }
}
