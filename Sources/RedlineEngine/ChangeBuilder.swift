import Foundation
import RedlinePDF

/// A wire change plus how many tokens (words) of each side it covers, for the summary.
struct BuiltChange {
    var change: Change
    var leftWords: Int
    var rightWords: Int
}

/// One side of a comparison as the change builder needs it.
struct ComparisonSide {
    let document: DocumentText
    let tokens: [Token]
}

/// Turns segments into wire `Change`s: splits them so every region is on one page, merges word boxes
/// into one rectangle per line fragment, builds texts, style maps and deletion marks.
struct ChangeBuilder {
    let left: ComparisonSide
    let right: ComparisonSide

    func changes(for segments: [Segment]) -> [BuiltChange] {
        var changes: [BuiltChange] = []
        changes.reserveCapacity(segments.count)
        for segment in segments {
            switch segment.kind {
            case .match, .style:
                for (a, b) in pairedPieces(segment.a, segment.b) {
                    changes.append(makeChange(kind: segment.kind, a: a, b: b, markAt: nil))
                }
            case .delete:
                for a in pageGroups(left.tokens, segment.a) {
                    changes.append(makeChange(kind: .delete, a: a, b: nil, markAt: segment.b.lowerBound))
                }
            case .insert:
                for b in pageGroups(right.tokens, segment.b) {
                    changes.append(makeChange(kind: .insert, a: nil, b: b, markAt: nil))
                }
            case .replace, .move:
                let leftGroups = pageGroups(left.tokens, segment.a)
                let rightGroups = pageGroups(right.tokens, segment.b)
                let mark = segment.kind == .move ? segment.originB : nil
                for index in 0..<max(leftGroups.count, rightGroups.count) {
                    let a = index < leftGroups.count ? leftGroups[index] : nil
                    let b = index < rightGroups.count ? rightGroups[index] : nil
                    var kind = segment.kind
                    if segment.kind == .replace {
                        if a == nil { kind = .insert }
                        if b == nil { kind = .delete }
                    }
                    changes.append(makeChange(kind: kind, a: a, b: b, markAt: kind == .delete ? segment.b.lowerBound : mark))
                }
            }
        }
        return changes
    }

    /// Splits equal-length ranges where either side crosses a page.
    private func pairedPieces(_ a: Range<Int>, _ b: Range<Int>) -> [(Range<Int>, Range<Int>)] {
        var pieces: [(Range<Int>, Range<Int>)] = []
        var start = 0
        let count = min(a.count, b.count)
        guard count > 0 else { return [] }
        for offset in 1...count {
            if offset == count
                || left.tokens[a.lowerBound + offset].page != left.tokens[a.lowerBound + offset - 1].page
                || right.tokens[b.lowerBound + offset].page != right.tokens[b.lowerBound + offset - 1].page
            {
                pieces.append(((a.lowerBound + start)..<(a.lowerBound + offset), (b.lowerBound + start)..<(b.lowerBound + offset)))
                start = offset
            }
        }
        return pieces
    }

    private func pageGroups(_ tokens: [Token], _ range: Range<Int>) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = range.lowerBound
        for index in range where index > range.lowerBound && tokens[index].page != tokens[index - 1].page {
            groups.append(start..<index)
            start = index
        }
        if start < range.upperBound { groups.append(start..<range.upperBound) }
        return groups
    }

    private func makeChange(kind: ChangeKind, a: Range<Int>?, b: Range<Int>?, markAt: Int?) -> BuiltChange {
        let leftSide = a.map { describe(left, $0) }
        let rightSide = b.map { describe(right, $0) }
        var change = Change(kind: kind)
        if kind == .match {
            change.text = rightSide?.text ?? leftSide?.text
        } else {
            change.leftText = leftSide?.text
            change.rightText = rightSide?.text
        }
        change.leftRegion = leftSide?.region
        change.rightRegion = rightSide?.region
        change.stylesInfo = StylesInfo(
            leftStyles: leftSide?.styles ?? [], rightStyles: rightSide?.styles ?? [],
            leftStyleMap: leftSide?.styleMap, rightStyleMap: rightSide?.styleMap)
        if let markAt, kind == .delete || kind == .move {
            change.deletionMark = deletionMark(at: markAt)
        }
        return BuiltChange(change: change, leftWords: a?.count ?? 0, rightWords: b?.count ?? 0)
    }

    private struct SideDescription {
        var text: String
        var region: ChangeRegion
        var styles: [WireStyle]
        var styleMap: [String]
    }

    private func describe(_ side: ComparisonSide, _ range: Range<Int>) -> SideDescription {
        let tokens = side.tokens[range]
        let page = tokens.first?.page ?? 0
        var text = ""
        var styles: [WireStyle] = []
        var styleMap: [String] = []
        var runStart = 0
        var offset = 0
        var currentStyle: WireStyle?
        for (index, token) in tokens.enumerated() {
            let style = Self.wireStyle(token.style)
            if index > 0 && !Self.joinsWithoutSpace(tokens[tokens.index(before: tokens.startIndex + index)].text, token.text) {
                text += " "
                offset += 1
            }
            if style != currentStyle {
                if let currentStyle {
                    styles.append(currentStyle)
                    styleMap.append("\(runStart)-\(offset - 1)")
                }
                currentStyle = style
                runStart = offset
            }
            text += token.text
            offset += token.text.utf16.count
        }
        if let currentStyle, offset > runStart {
            styles.append(currentStyle)
            styleMap.append("\(runStart)-\(offset - 1)")
        }
        var rectangles: [WireRectangle] = []
        var lineOrder: [Int] = []
        var lineBoxes: [Int: PDFRect] = [:]
        for token in tokens {
            for wordIndex in token.wordRange {
                let word = side.document.words[wordIndex]
                guard word.pageIndex == page else { continue }
                if let box = lineBoxes[word.lineID] {
                    lineBoxes[word.lineID] = box.union(word.box)
                } else {
                    lineBoxes[word.lineID] = word.box
                    lineOrder.append(word.lineID)
                }
            }
        }
        for line in lineOrder {
            if let box = lineBoxes[line] { rectangles.append(Self.wireRectangle(box)) }
        }
        return SideDescription(text: text, region: ChangeRegion(pageIndex: page, rectangles: rectangles), styles: styles, styleMap: styleMap)
    }

    /// Right edge of the right word before `position`, or the left edge of the one at it.
    private func deletionMark(at position: Int) -> DeletionMark {
        if position > 0, position - 1 < right.tokens.count {
            let token = right.tokens[position - 1]
            let word = right.document.words[token.wordRange.upperBound - 1]
            return DeletionMark(pageIndex: word.pageIndex, point: [Self.round(word.box.right), Self.round(word.box.top)])
        }
        if position >= 0, position < right.tokens.count {
            let word = right.document.words[right.tokens[position].firstWord]
            return DeletionMark(pageIndex: word.pageIndex, point: [Self.round(word.box.left), Self.round(word.box.top)])
        }
        return DeletionMark(pageIndex: 0, point: [0, 0])
    }

    /// Adjacent characters of scripts written without spaces (Han, Kana) are joined directly.
    static func joinsWithoutSpace(_ previous: String, _ next: String) -> Bool {
        guard let last = previous.unicodeScalars.last, let first = next.unicodeScalars.first else { return false }
        return PDFWord.isSpacelessScript(last) && PDFWord.isSpacelessScript(first)
    }

    static func round(_ value: Double) -> Double {
        value.isFinite ? (value * 100).rounded() / 100 : 0
    }

    static func wireRectangle(_ box: PDFRect) -> WireRectangle {
        WireRectangle(left: round(box.left), top: round(box.top), right: round(box.right), bottom: round(box.bottom))
    }

    static func wireStyle(_ style: PDFTextStyle) -> WireStyle {
        WireStyle(color: style.color, font: style.font, emphasis: style.emphasis, size: round(style.size))
    }
}
