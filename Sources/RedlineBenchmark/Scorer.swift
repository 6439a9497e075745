import RedlineEngine

/// A change as the scorer sees it, whatever reported it: its kind and the words it covers on each side,
/// identified by word ID (`BenchDocument.words` positions). Header/footer words have no ID and are only
/// counted.
public struct ReportedChange: Sendable, Hashable {
    public var kind: ChangeKind
    public var left: [Int]
    public var right: [Int]
    /// Header/footer words the change covers (on either side).
    public var furnitureWords: Int
    /// The reporter says the two sides' styles differ (the engine's `stylesInfo`); false for peers.
    public var stylesDiffer: Bool
    /// Pages of the change's regions, when known (the engine splits changes at page breaks).
    public var leftPage: Int?
    public var rightPage: Int?
    /// Words of the change's text that its regions did not map to (or the reverse): a scorer diagnostic.
    public var textMismatches: Int
    /// Short description for reports.
    public var summary: String

    public init(
        kind: ChangeKind, left: [Int], right: [Int], furnitureWords: Int = 0, stylesDiffer: Bool = false,
        leftPage: Int? = nil, rightPage: Int? = nil, textMismatches: Int = 0, summary: String = ""
    ) {
        self.kind = kind
        self.left = left
        self.right = right
        self.furnitureWords = furnitureWords
        self.stylesDiffer = stylesDiffer
        self.leftPage = leftPage
        self.rightPage = rightPage
        self.textMismatches = textMismatches
        self.summary = summary
    }
}

/// Why a reported change did not count as a true positive.
public enum FalsePositiveReason: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Only header/footer/page-number words.
    case furniture
    /// Only words of reflow-only paragraphs.
    case reflow
    /// Other unchanged words.
    case unchanged
    /// Covers an edit but also far more unchanged words than edited ones.
    case oversized
    /// A further piece of an edit that was already reported (a split change).
    case split
    /// Its regions map to no word at all.
    case unmapped

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The score of one comparison against the ground truth.
public struct Score: Sendable {
    /// Edits other than style edits, and how many were recalled.
    public var textEdits = 0
    public var textRecalled = 0
    public var styleEdits = 0
    public var styleRecalled = 0
    /// Reported non-match changes (after joining page-split pieces) and the true positives among them.
    public var reported = 0
    public var truePositives = 0
    public var falsePositives: [FalsePositiveReason: Int] = [:]
    /// Reported changes lying entirely in reflow-only paragraphs.
    public var reflowOnlyReported = 0
    /// nil when the pair has no move.
    public var moveReportedAsMove: Bool?
    public var missed: [GroundTruthEdit] = []
    public var missedStyle: [GroundTruthEdit] = []
    /// A few false positives, described.
    public var falsePositiveExamples: [String] = []
    /// Sum of `ReportedChange.textMismatches` (should be 0: regions and texts agree).
    public var mappingMismatches = 0

    public var recall: Double { textEdits == 0 ? 1 : Double(textRecalled) / Double(textEdits) }
    public var precision: Double { reported == 0 ? 1 : Double(truePositives) / Double(reported) }
    public var styleRecall: Double { styleEdits == 0 ? 1 : Double(styleRecalled) / Double(styleEdits) }
}

/// Scores reported changes against a ground truth.
///
/// Matching rules (all by word identity, so positions are consistent by construction: a reported change
/// is turned into the IDs of the words its regions, or a peer's word indices, cover):
/// - A change **overlaps** an edit when they share a word ID on the left or on the right.
/// - **Recall** (non-style edits): an edit is recalled when the changes of a compatible kind that overlap
///   it cover, together, at least half of its left words and at least half of its right words (a side
///   with no words is not checked). Compatible kinds: insert, delete, replace; for the moved paragraph
///   also move (its text is shown either way; whether it is shown *as a move* is scored separately).
///   Half, not all, because a diff may legitimately slide an inserted sentence by a word ("The" before
///   or after it).
/// - **Style recall**: a style edit is recalled when `style` changes, or changes whose `stylesInfo`
///   differs between the sides, cover at least half of its words on both sides.
/// - **Move**: the moved paragraph is reported as a move when `move` changes cover at least half of its
///   words on both sides.
/// - **Precision**: reported non-match changes, after joining pieces the engine splits at page breaks
///   (consecutive changes continuing on the next page with contiguous words), are true positives when
///   they overlap an edit, are not oversized (unchanged words at most max(3, edited words)), and the
///   edit has not already been reported by as many changes as it may take (1; 2 for the move, which a
///   reporter without moves shows as a delete plus an insert). Everything else is a false positive,
///   classified as `FalsePositiveReason`; header/footer churn, reflow noise and split changes all count.
/// - **Reflow-only**: changes whose words all lie in reflow-only paragraphs (they must not exist).
public struct Scorer: Sendable {
    public var truth: GroundTruth
    public var leftWordCount: Int
    public var rightWordCount: Int

    public init(truth: GroundTruth, leftWordCount: Int, rightWordCount: Int) {
        self.truth = truth
        self.leftWordCount = leftWordCount
        self.rightWordCount = rightWordCount
    }

    public func score(_ changes: [ReportedChange]) -> Score {
        var leftEdit = [Int](repeating: -1, count: leftWordCount)
        var rightEdit = [Int](repeating: -1, count: rightWordCount)
        for (index, edit) in truth.edits.enumerated() {
            for id in edit.left where id < leftWordCount { leftEdit[id] = index }
            for id in edit.right where id < rightWordCount { rightEdit[id] = index }
        }
        var leftReflow = [Bool](repeating: false, count: leftWordCount)
        var rightReflow = [Bool](repeating: false, count: rightWordCount)
        for range in truth.reflowLeft { for id in range where id < leftWordCount { leftReflow[id] = true } }
        for range in truth.reflowRight { for id in range where id < rightWordCount { rightReflow[id] = true } }

        var score = Score()
        var quota = truth.edits.map { $0.kind == .move ? 2 : 1 }
        // Words covered, per side, by changes compatible with the edit that owns them; for styles; for moves.
        var textLeft = [Bool](repeating: false, count: leftWordCount)
        var textRight = [Bool](repeating: false, count: rightWordCount)
        var styleLeft = textLeft
        var styleRight = textRight
        var moveLeft = textLeft
        var moveRight = textRight

        for change in changes {
            score.reported += 1
            score.mappingMismatches += change.textMismatches
            let left = change.left.filter { $0 >= 0 && $0 < leftWordCount }
            let right = change.right.filter { $0 >= 0 && $0 < rightWordCount }
            var hit: [Int] = []
            var editedWords = 0
            for id in left where leftEdit[id] >= 0 {
                hit.append(leftEdit[id])
                editedWords += 1
            }
            for id in right where rightEdit[id] >= 0 {
                hit.append(rightEdit[id])
                editedWords += 1
            }
            for id in left where leftEdit[id] >= 0 {
                let edit = truth.edits[leftEdit[id]]
                if Self.isCompatible(change.kind, with: edit) { textLeft[id] = true }
                if change.kind == .style || change.stylesDiffer { styleLeft[id] = true }
                if change.kind == .move { moveLeft[id] = true }
            }
            for id in right where rightEdit[id] >= 0 {
                let edit = truth.edits[rightEdit[id]]
                if Self.isCompatible(change.kind, with: edit) { textRight[id] = true }
                if change.kind == .style || change.stylesDiffer { styleRight[id] = true }
                if change.kind == .move { moveRight[id] = true }
            }

            let reason: FalsePositiveReason?
            if left.isEmpty && right.isEmpty {
                reason = change.furnitureWords > 0 ? .furniture : .unmapped
            } else if hit.isEmpty {
                if change.furnitureWords == 0, left.allSatisfy({ leftReflow[$0] }), right.allSatisfy({ rightReflow[$0] }) {
                    score.reflowOnlyReported += 1
                    reason = .reflow
                } else {
                    reason = .unchanged
                }
            } else if left.count + right.count + change.furnitureWords - editedWords > max(3, editedWords) {
                reason = .oversized
            } else if hit.contains(where: { quota[$0] > 0 }) {
                reason = nil
                for edit in Set(hit) { quota[edit] -= 1 }
            } else {
                reason = .split
            }
            if let reason {
                score.falsePositives[reason, default: 0] += 1
                if score.falsePositiveExamples.count < 12 {
                    score.falsePositiveExamples.append("\(reason.rawValue): \(change.summary)")
                }
            } else {
                score.truePositives += 1
            }
        }

        func covered(_ edit: GroundTruthEdit, _ leftMask: [Bool], _ rightMask: [Bool]) -> Bool {
            let leftCovered = edit.left.filter { $0 < leftWordCount && leftMask[$0] }.count
            let rightCovered = edit.right.filter { $0 < rightWordCount && rightMask[$0] }.count
            return (edit.left.isEmpty || 2 * leftCovered >= edit.left.count)
                && (edit.right.isEmpty || 2 * rightCovered >= edit.right.count)
        }
        for edit in truth.edits {
            if edit.isStyle {
                score.styleEdits += 1
                if covered(edit, styleLeft, styleRight) { score.styleRecalled += 1 } else { score.missedStyle.append(edit) }
            } else {
                score.textEdits += 1
                if covered(edit, textLeft, textRight) { score.textRecalled += 1 } else { score.missed.append(edit) }
            }
            if edit.kind == .move {
                score.moveReportedAsMove = (score.moveReportedAsMove ?? true) && covered(edit, moveLeft, moveRight)
            }
        }
        return score
    }

    static func isCompatible(_ kind: ChangeKind, with edit: GroundTruthEdit) -> Bool {
        switch kind {
        case .insert, .delete, .replace: return !edit.isStyle
        case .move: return edit.kind == .move
        case .match, .style: return false
        }
    }

    /// Joins the pieces of one change that a reporter split at page breaks: a change continues the
    /// previous one (header/footer-only changes in between are skipped) when both are text changes of
    /// compatible kinds (the same kind, or insert/delete/replace mixed), it starts on a later page on a
    /// side both have words on, and its words continue the previous words without a gap on every side both
    /// have words on.
    public static func joinPageSplits(_ changes: [ReportedChange]) -> [ReportedChange] {
        var output: [ReportedChange] = []
        var lastBody: Int?
        let textKinds: Set<ChangeKind> = [.insert, .delete, .replace]
        for change in changes {
            guard let previousIndex = lastBody else {
                output.append(change)
                if !(change.left.isEmpty && change.right.isEmpty) { lastBody = output.count - 1 }
                continue
            }
            if change.left.isEmpty && change.right.isEmpty {
                output.append(change)
                continue
            }
            let previous = output[previousIndex]
            let kindsFit = previous.kind == change.kind || (textKinds.contains(previous.kind) && textKinds.contains(change.kind))
            var continues = kindsFit
            var sharedSide = false
            var laterPage = false
            if continues, let last = previous.left.max(), let first = change.left.min() {
                sharedSide = true
                continues = first == last + 1
                if let a = previous.leftPage, let b = change.leftPage, b > a { laterPage = true }
            }
            if continues, let last = previous.right.max(), let first = change.right.min() {
                sharedSide = true
                continues = continues && first == last + 1
                if let a = previous.rightPage, let b = change.rightPage, b > a { laterPage = true }
            }
            if continues && sharedSide && laterPage {
                var joined = previous
                joined.left += change.left
                joined.right += change.right
                joined.furnitureWords += change.furnitureWords
                joined.stylesDiffer = joined.stylesDiffer || change.stylesDiffer
                joined.leftPage = change.leftPage ?? previous.leftPage
                joined.rightPage = change.rightPage ?? previous.rightPage
                joined.textMismatches += change.textMismatches
                if joined.kind != change.kind { joined.kind = .replace }
                output[previousIndex] = joined
            } else {
                output.append(change)
                lastBody = output.count - 1
            }
        }
        return output
    }
}
