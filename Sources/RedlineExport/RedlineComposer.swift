import Foundation
import RedlinePDF

/// Character formatting a Word run can carry.
struct RunStyle: Sendable, Equatable {
    var bold = false
    var italic = false
    /// Points; nil leaves the document default.
    var size: Double?
    /// "RRGGBB"; nil for automatic (black).
    var color: String?

    init(bold: Bool = false, italic: Bool = false, size: Double? = nil, color: String? = nil) {
        self.bold = bold
        self.italic = italic
        self.size = size.flatMap { $0 > 0 && $0 < 400 ? ($0 * 2).rounded() / 2 : nil }
        self.color = color.flatMap(Self.hex)
    }

    init(_ style: TextStyle) {
        self.init(bold: style.bold, italic: style.italic, size: style.size, color: style.color)
    }

    init(_ style: PDFTextStyle) {
        self.init(bold: style.bold, italic: style.italic, size: style.size, color: style.color)
    }

    private static func hex(_ text: String) -> String? {
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard digits.count == 6, digits.allSatisfy(\.isHexDigit) else { return nil }
        let upper = digits.uppercased()
        return upper == "000000" ? nil : upper
    }
}

/// How a piece of text was revised.
enum Revision: Sendable, Equatable {
    case none
    case inserted
    case deleted
    /// Same text, formatting changed from `previous`.
    case formatted(previous: RunStyle)
}

struct TextPiece: Sendable, Equatable {
    var text: String
    var revision: Revision
    var style: RunStyle
}

struct RedlineParagraph: Sendable {
    var pieces: [TextPiece] = []
    var hasLeftContent = false
    var hasRightContent = false
    var isEmpty: Bool { pieces.isEmpty }
}

/// Lays the comparison's segments out as paragraphs of revised text for the Word redline.
///
/// Paragraph breaks come from newlines in the texts and from the geometry: a segment whose first line
/// starts clearly below the previous line on the same side (a gap of roughly half a line or more) starts a
/// new paragraph. Segment texts are spread over their line rectangles using the PDF's words in each
/// rectangle (or proportionally to the rectangles' widths), so breaks inside long segments land too.
struct RedlineComposer {
    private struct Token {
        var text: String
        var style: RunStyle
        var breakBefore: Bool
    }

    private struct Fragment {
        var tokens: [Token]
        var page: Int?
        var rect: Rect?
    }

    private struct Cursor {
        var page: Int
        var rect: Rect
    }

    private let leftWords: WordSource?
    private let rightWords: WordSource?
    private(set) var paragraphs: [RedlineParagraph] = [RedlineParagraph()]
    private var leftCursor: Cursor?
    private var rightCursor: Cursor?

    init(leftWords: WordSource?, rightWords: WordSource?) {
        self.leftWords = leftWords
        self.rightWords = rightWords
    }

    /// Adds the segments in order (right-document order, as the engine emits them).
    ///
    /// A move becomes an insertion where the text is now and a deletion where it was: the engine gives the
    /// old place as the move's `deletionMark` (a right-document position), so the deleted copy goes in
    /// just before the first segment that starts at or after that position. Accepting every change then
    /// gives the right document's text, rejecting every change the left one's.
    mutating func add(_ changes: [ExportChange]) {
        var pendingMoves: [(key: Position, change: ExportChange)] = changes.compactMap { change in
            guard change.kind == .move, let mark = change.deletionMark, let x = mark.x, let y = mark.y else { return nil }
            return (Position(page: mark.pageIndex, top: y, left: x), change)
        }
        pendingMoves.sort { $0.key < $1.key }
        for change in changes {
            if let region = change.rightRegion, let first = region.usableRectangles.first {
                let key = Position(page: region.pageIndex, top: first.top, left: first.left)
                while let next = pendingMoves.first, !(key < next.key) {
                    pendingMoves.removeFirst()
                    addMovedAway(next.change)
                }
            }
            add(change)
        }
        for pending in pendingMoves { addMovedAway(pending.change) }
        if paragraphs.count > 1, paragraphs.last?.isEmpty == true { paragraphs.removeLast() }
    }

    /// A place in the right document, ordered like reading: page, then line (tops within 3 pt are one line), then x.
    struct Position {
        var page: Int
        var top: Double
        var left: Double

        static func < (a: Position, b: Position) -> Bool {
            if a.page != b.page { return a.page < b.page }
            if abs(a.top - b.top) > 3 { return a.top < b.top }
            return a.left < b.left
        }
    }

    /// The old place of moved text: deleted there.
    private mutating func addMovedAway(_ change: ExportChange) {
        let styles = change.stylesInfo?.ranges(left: true) ?? []
        emit(fragments(text: change.leftText ?? change.text, region: change.leftRegion, words: leftWords, styles: styles), side: .left, revision: .deleted)
    }

    private mutating func add(_ change: ExportChange) {
        let rightStyles = change.stylesInfo?.ranges(left: false) ?? []
        let leftStyles = change.stylesInfo?.ranges(left: true) ?? []
        switch change.kind {
        case .move where change.deletionMark?.x != nil && change.deletionMark?.y != nil:
            // The new place; `add(_ changes:)` writes the old place as a deletion.
            emit(fragments(text: change.rightText ?? change.text, region: change.rightRegion, words: rightWords, styles: rightStyles), side: .right, revision: .inserted)
        case .match, .move:
            if change.rightRegion != nil || change.leftRegion == nil {
                // When the left side also starts a paragraph here, the break is certain even if the current
                // paragraph holds only deleted text (a deleted paragraph followed by a shared one).
                var leftBreak = false
                if let region = change.leftRegion, let first = region.usableRectangles.first, let leftCursor {
                    leftBreak = startsParagraph(first, page: region.pageIndex, after: leftCursor)
                }
                emit(fragments(text: change.rightText ?? change.text, region: change.rightRegion, words: rightWords, styles: rightStyles), side: .right, revision: .none, bothSidesBreak: leftBreak)
            } else {
                emit(fragments(text: change.leftText ?? change.text, region: change.leftRegion, words: leftWords, styles: leftStyles), side: .left, revision: .none)
            }
        case .insert:
            emit(fragments(text: change.rightText ?? change.text, region: change.rightRegion, words: rightWords, styles: rightStyles), side: .right, revision: .inserted)
        case .delete:
            emit(fragments(text: change.leftText ?? change.text, region: change.leftRegion, words: leftWords, styles: leftStyles), side: .left, revision: .deleted)
        case .replace:
            emit(fragments(text: change.leftText, region: change.leftRegion, words: leftWords, styles: leftStyles), side: .left, revision: .deleted)
            emit(fragments(text: change.rightText, region: change.rightRegion, words: rightWords, styles: rightStyles), side: .right, revision: .inserted)
        case .style:
            let previous = leftStyles.first.map { RunStyle($0.style) } ?? RunStyle()
            emit(fragments(text: change.rightText ?? change.text, region: change.rightRegion, words: rightWords, styles: rightStyles), side: .right, revision: .formatted(previous: previous))
        }
        // Both sides advance past the segment, whichever side was written (a move's left side is its old
        // place, written separately in reading order, so it does not move the left cursor here).
        let leftWrittenElsewhere = change.kind == .move && change.deletionMark?.x != nil && change.deletionMark?.y != nil
        if !leftWrittenElsewhere, let region = change.leftRegion, let last = region.usableRectangles.last {
            leftCursor = Cursor(page: region.pageIndex, rect: last)
        }
        if let region = change.rightRegion, let last = region.usableRectangles.last {
            rightCursor = Cursor(page: region.pageIndex, rect: last)
        }
    }

    // MARK: Fragments

    /// The segment's tokens, grouped by the line rectangle they sit in.
    private func fragments(
        text: String?, region: Region?, words: WordSource?, styles: [(range: ClosedRange<Int>, style: TextStyle)]
    ) -> [Fragment] {
        let rects = region?.usableRectangles ?? []
        let page = region?.pageIndex
        let wordsPerRect: [[PDFWord]]? = region.flatMap { region in words.map { source in rects.map { source.words(page: region.pageIndex, in: $0) } } }
        guard let text else {
            // No text on the wire (optional for matches): take the PDF's words in each rectangle.
            guard let wordsPerRect else { return [] }
            return zip(rects, wordsPerRect).map { rect, words in
                Fragment(tokens: words.map { Token(text: $0.text, style: RunStyle($0.style), breakBefore: false) }, page: page, rect: rect)
            }
        }
        let tokens = Self.tokens(of: text, styles: styles)
        guard rects.count > 1, !tokens.isEmpty else {
            return [Fragment(tokens: tokens, page: page, rect: rects.first)]
        }
        // How many tokens go into each rectangle: the PDF's word counts when they add up, else by width.
        var counts: [Int]
        if let wordsPerRect, wordsPerRect.map(\.count).reduce(0, +) == tokens.count {
            counts = wordsPerRect.map(\.count)
        } else {
            let total = rects.map(\.width).reduce(0, +)
            var assigned = 0
            var cumulative = 0.0
            counts = rects.map { rect in
                cumulative += rect.width
                let end = total > 0 ? Int((cumulative / total * Double(tokens.count)).rounded()) : tokens.count
                defer { assigned = max(assigned, end) }
                return max(0, end - assigned)
            }
            counts[counts.count - 1] += max(0, tokens.count - counts.reduce(0, +))
        }
        var result: [Fragment] = []
        var start = 0
        for (rect, count) in zip(rects, counts) {
            let end = min(tokens.count, start + count)
            result.append(Fragment(tokens: Array(tokens[start..<end]), page: page, rect: rect))
            start = end
        }
        return result
    }

    /// Whitespace-separated words with their styles and newline breaks. Style ranges are inclusive offsets in
    /// UTF-16 code units of the segment's text, as the engine writes them.
    private static func tokens(of text: String, styles: [(range: ClosedRange<Int>, style: TextStyle)]) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var currentStart = 0
        var pendingBreak = false
        func style(at offset: Int) -> RunStyle {
            guard let match = styles.first(where: { $0.range.contains(offset) }) ?? styles.last(where: { $0.range.lowerBound <= offset }) ?? styles.first
            else { return RunStyle() }
            return RunStyle(match.style)
        }
        func flush() {
            guard !current.isEmpty else { return }
            tokens.append(Token(text: current, style: style(at: currentStart), breakBefore: pendingBreak))
            pendingBreak = false
            current = ""
        }
        var offset = 0
        for character in text {
            defer { offset += character.utf16.count }
            if character.isNewline {
                flush()
                if !tokens.isEmpty { pendingBreak = true }
            } else if character.isWhitespace {
                flush()
            } else {
                if current.isEmpty { currentStart = offset }
                current.append(character)
            }
        }
        flush()
        return tokens
    }

    // MARK: Emitting

    private mutating func emit(_ fragments: [Fragment], side: DocumentSide, revision: Revision, bothSidesBreak: Bool = false) {
        var first = true
        for fragment in fragments where !fragment.tokens.isEmpty {
            defer { first = false }
            if let page = fragment.page, let rect = fragment.rect {
                let cursor = side == .left ? leftCursor : rightCursor
                if let cursor, startsParagraph(rect, page: page, after: cursor) {
                    breakParagraph(side: side, force: first && bothSidesBreak)
                }
                let next = Cursor(page: page, rect: rect)
                if side == .left { leftCursor = next } else { rightCursor = next }
            }
            for token in fragment.tokens {
                if token.breakBefore { breakParagraph(side: side) }
                append(token, side: side, revision: revision)
            }
        }
    }

    /// A line that starts clearly below the previous one on the same page (paragraph spacing) starts a paragraph.
    private func startsParagraph(_ rect: Rect, page: Int, after cursor: Cursor) -> Bool {
        guard page == cursor.page else { return false }
        let lineHeight = max(cursor.rect.height, 1)
        return rect.top - cursor.rect.bottom > 0.45 * lineHeight
    }

    private mutating func breakParagraph(side: DocumentSide, force: Bool = false) {
        guard let current = paragraphs.last, !current.isEmpty else { return }
        // A paragraph start that a deletion already opened (deleted words, then the shared words of the same
        // paragraph) must not open a second one: only break when this side already has text here.
        let hasContentOnSide = side == .left ? current.hasLeftContent : current.hasRightContent
        guard hasContentOnSide || force else { return }
        paragraphs.append(RedlineParagraph())
    }

    private mutating func append(_ token: Token, side: DocumentSide, revision: Revision) {
        var paragraph = paragraphs.removeLast()
        var text = paragraph.isEmpty ? token.text : " " + token.text
        if case .formatted = revision, text.hasPrefix(" ") {
            // The space before restyled words keeps its old look; only the words are reformatted.
            text.removeFirst()
            if let last = paragraph.pieces.last, last.revision != .deleted {
                paragraph.pieces[paragraph.pieces.count - 1].text += " "
            } else {
                paragraph.pieces.append(TextPiece(text: " ", revision: .none, style: RunStyle()))
            }
        }
        if let last = paragraph.pieces.last, last.revision == revision, last.style == token.style {
            paragraph.pieces[paragraph.pieces.count - 1].text += text
        } else {
            paragraph.pieces.append(TextPiece(text: text, revision: revision, style: token.style))
        }
        switch revision {
        case .none:
            paragraph.hasLeftContent = true
            paragraph.hasRightContent = true
        case .deleted:
            paragraph.hasLeftContent = true
        case .inserted, .formatted:
            paragraph.hasRightContent = true
        }
        paragraphs.append(paragraph)
    }
}

/// Words of one PDF, extracted lazily page by page.
final class WordSource {
    private let document: PDFDocument
    private var cache: [Int: [PDFWord]] = [:]

    init?(pdf: Data) {
        guard let document = try? PDFDocument(data: pdf) else { return nil }
        self.document = document
    }

    /// Words whose centre lies inside `rect` (1 pt slack), in reading order.
    func words(page: Int, in rect: Rect) -> [PDFWord] {
        guard page >= 0, page < document.pageCount else { return [] }
        let all: [PDFWord]
        if let cached = cache[page] {
            all = cached
        } else {
            all = document.words(page: page)
            cache[page] = all
        }
        return all.filter { word in
            rect.contains(x: (word.box.left + word.box.right) / 2, y: (word.box.top + word.box.bottom) / 2, slack: 1)
        }
    }
}
