/// What a ground-truth edit changes.
public enum EditKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// One to three words replaced by other words ("shall" -> "may", "promptly" -> "without undue delay").
    case word
    /// An amount changed ("52,100.00" -> "52,200.00").
    case amount
    /// The day of a date changed ("14 March 2025" -> "21 March 2025").
    case date
    /// A person's name replaced ("Jane Whitfield" -> "Mark Osei").
    case name
    case sentenceInsert = "sentence insert"
    case sentenceDelete = "sentence delete"
    case paragraphInsert = "paragraph insert"
    case paragraphDelete = "paragraph delete"
    /// A whole paragraph moved elsewhere, unchanged.
    case move
    /// Bold/italic toggled on words whose text is unchanged.
    case style
    /// One table cell's text changed.
    case tableCell = "table cell"
}

/// One ground-truth edit: the body words it touches on each side, as word-ID ranges (IDs are positions in
/// `BenchDocument.words`). A pure insertion has an empty `left` range placed where the text would be, a
/// pure deletion an empty `right` range. Style edits and moves cover the same words on both sides.
public struct GroundTruthEdit: Sendable, Hashable {
    public var kind: EditKind
    public var left: Range<Int>
    public var right: Range<Int>
    /// The words at `left` in the left document and at `right` in the right document (with their styles).
    public var leftWords: [BenchWord]
    public var rightWords: [BenchWord]
    /// Left ID of the nearest unchanged word before `right` in the right document (nil: the document
    /// start). Lets `GroundTruth.apply` rebuild the right document from the left one and the edit list.
    public var anchor: Int?

    public init(kind: EditKind, left: Range<Int>, right: Range<Int>, leftWords: [BenchWord], rightWords: [BenchWord], anchor: Int?) {
        self.kind = kind
        self.left = left
        self.right = right
        self.leftWords = leftWords
        self.rightWords = rightWords
        self.anchor = anchor
    }

    public var leftText: String { leftWords.map(\.text).joined(separator: " ") }
    public var rightText: String { rightWords.map(\.text).joined(separator: " ") }

    /// Style edits are scored by style recall; every other edit by (text) recall.
    public var isStyle: Bool { kind == .style }
}

/// The edit list of a generated pair plus the paragraphs that only reflow (same words, different line
/// breaks) and must never be reported.
public struct GroundTruth: Sendable, Hashable {
    public var edits: [GroundTruthEdit]
    /// Word-ID ranges of reflow-only paragraphs on the left and on the right (same paragraphs, same order).
    public var reflowLeft: [Range<Int>]
    public var reflowRight: [Range<Int>]

    public init(edits: [GroundTruthEdit], reflowLeft: [Range<Int>], reflowRight: [Range<Int>]) {
        self.edits = edits
        self.reflowLeft = reflowLeft
        self.reflowRight = reflowRight
    }

    /// Number of edits of each kind.
    public var countsByKind: [EditKind: Int] {
        edits.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }

    /// Rebuilds the right document's words from the left document's words and the edit list alone:
    /// keeps every left word no edit touches, and after each kept word (or at the start) emits the right
    /// words of the edits anchored there. Equal to the right document's words when the list is consistent.
    public func apply(to left: [BenchWord]) -> [BenchWord] {
        var touched = [Bool](repeating: false, count: left.count)
        for edit in edits {
            for id in edit.left where id < left.count { touched[id] = true }
        }
        var anchored: [Int: [GroundTruthEdit]] = [:]
        var atStart: [GroundTruthEdit] = []
        for edit in edits where !edit.right.isEmpty {
            if let anchor = edit.anchor { anchored[anchor, default: []].append(edit) } else { atStart.append(edit) }
        }
        var result: [BenchWord] = []
        result.reserveCapacity(left.count)
        for edit in atStart.sorted(by: { $0.right.lowerBound < $1.right.lowerBound }) {
            result += edit.rightWords
        }
        for (id, word) in left.enumerated() where !touched[id] {
            result.append(word)
            for edit in (anchored[id] ?? []).sorted(by: { $0.right.lowerBound < $1.right.lowerBound }) {
                result += edit.rightWords
            }
        }
        return result
    }
}
