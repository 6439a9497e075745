import Foundation
import RedlinePDF

/// Where one word was drawn: page, horizontal extent and baseline, in PDF points from the top-left corner.
public struct PlacedWord: Sendable, Hashable {
    public var text: String
    public var page: Int
    public var left: Double
    public var right: Double
    public var baseline: Double
    public var size: Double

    public init(text: String, page: Int, left: Double, right: Double, baseline: Double, size: Double) {
        self.text = text
        self.page = page
        self.left = left
        self.right = right
        self.baseline = baseline
        self.size = size
    }

    public var centerX: Double { (left + right) / 2 }
    /// Middle of the glyphs' vertical extent (x-height region), above the baseline.
    public var centerY: Double { baseline - 0.35 * size }
}

/// One side of a pair as drawn: the PDF and where every word ended up.
public struct RenderedSide: Sendable {
    public var pdf: Data
    public var pageCount: Int
    public var pageSize: PDFPageSize
    /// Body words by word ID (`BenchDocument.words` order).
    public var body: [PlacedWord]
    /// Running header and footer words of every page, page by page.
    public var furniture: [PlacedWord]

    /// Words in the order `pdftotext -layout` prints them: page by page, line by line (top to bottom),
    /// left to right; header first and footer last on each page.
    public var layoutOrder: [WordRef] {
        var refs: [(page: Int, baseline: Double, left: Double, ref: WordRef)] = []
        refs.reserveCapacity(body.count + furniture.count)
        for (id, word) in body.enumerated() { refs.append((word.page, word.baseline, word.left, .body(id))) }
        for (index, word) in furniture.enumerated() { refs.append((word.page, word.baseline, word.left, .furniture(index))) }
        refs.sort { ($0.page, ($0.baseline * 10).rounded(), $0.left) < ($1.page, ($1.baseline * 10).rounded(), $1.left) }
        return refs.map(\.ref)
    }

    public func text(of ref: WordRef) -> String {
        switch ref {
        case .body(let id): return body[id].text
        case .furniture(let index): return furniture[index].text
        }
    }
}

/// A word of a rendered side: a body word (by word ID) or a header/footer word.
public enum WordRef: Sendable, Hashable {
    case body(Int)
    case furniture(Int)
}

/// Lays a `BenchDocument` out with `FlowLayout` (wrapping, pagination, running header with the title and
/// footer "Page {page} of {pages}") and writes it with `StyledPDFWriter`.
///
/// Paragraphs are separated by small spacer paragraphs (FlowLayout's paragraph spacing is 0). Two kinds
/// of blocks are pre-processed: a paragraph with an `inset` is wrapped on its own at a narrower measure and
/// each of its lines becomes a one-line paragraph, shifted right by the inset after layout (a reflow
/// without changing words); a table row becomes a one-line paragraph whose cells are then moved to their
/// column positions. Word positions are computed from the runs FlowLayout returns and per-character
/// advance widths (cairo's toy text API has no kerning). FlowLayout measures with hinted advances while
/// the PDF is drawn with unhinted ones, which leaves gaps of several points before a second style run
/// on a line; later runs of a line are therefore re-placed one space after the previous run as drawn.
public struct DocumentRenderer: Sendable {
    public var bodyStyle = PDFTextStyle(font: "Liberation Serif", size: 11)
    public var tableStyle = PDFTextStyle(font: "Liberation Serif", size: 10)
    /// Column offsets of table cells from the left margin.
    public var columns: [Double] = [0, 44, 230, 330]
    public var spacerSize = 5.5
    public var footer = "Page {page} of {pages}"

    public init() {}

    private enum LineKind {
        case normal
        case shifted(Double)
        case tableRow(cells: [Int])
    }

    public func render(_ document: BenchDocument) throws(PDFError) -> RenderedSide {
        var layout = FlowLayout()
        layout.paragraphSpacing = 0
        layout.header = document.title
        layout.footer = footer
        let spacer = [StyledSpan("", style: PDFTextStyle(font: bodyStyle.font, size: spacerSize))]
        var paragraphs: [[StyledSpan]] = []
        // Per non-spacer paragraph: its words and how to post-process its line(s).
        var plan: [(words: [BenchWord], kind: LineKind)] = []
        for (index, block) in document.blocks.enumerated() {
            if index > 0 { paragraphs.append(spacer) }
            switch block.kind {
            case .heading, .paragraph:
                let words = block.words
                if block.inset > 0 {
                    for line in wrap(words, inset: block.inset, layout: layout) {
                        paragraphs.append(spans(line, base: bodyStyle))
                        plan.append((line, .shifted(block.inset)))
                    }
                } else {
                    paragraphs.append(spans(words, base: bodyStyle))
                    plan.append((words, .normal))
                }
            case .tableRow:
                let words = block.words
                paragraphs.append(spans(words, base: tableStyle))
                plan.append((words, .tableRow(cells: block.cells.map(\.count))))
            }
        }
        var pages = layout.pages(for: paragraphs)
        var measure = WidthTable()
        var body: [PlacedWord] = []
        var furniture: [PlacedWord] = []
        body.reserveCapacity(plan.reduce(0) { $0 + $1.words.count })
        var planIndex = 0
        var wordInPlan = 0
        for pageIndex in pages.indices {
            let runs = pages[pageIndex].runs
            guard runs.count >= 2 else { continue }
            var output: [StyledRun] = [runs[0]]
            furniture += place(runs[0], page: pageIndex, measure: &measure)
            var pendingRow: [(word: BenchWord, baseline: Double)] = []
            var lineEnd: (baseline: Double, x: Double)?
            for run in runs[1..<(runs.count - 1)] {
                let count = run.text.split(separator: " ").count
                guard planIndex < plan.count else { break }
                let (words, kind) = plan[planIndex]
                switch kind {
                case .normal, .shifted:
                    var placed = run
                    if let previous = lineEnd, previous.baseline == run.baseline {
                        // A later style run on the same line: FlowLayout placed it with hinted advances,
                        // the PDF draws unhinted ones; put it one space after the previous run as drawn.
                        placed.x = previous.x + measure.width(" ", style: run.style)
                    } else if case .shifted(let inset) = kind {
                        placed.x += inset
                    }
                    lineEnd = (placed.baseline, placed.x + measure.width(placed.text, style: placed.style))
                    output.append(placed)
                    body += place(placed, page: pageIndex, measure: &measure)
                case .tableRow(let cells):
                    lineEnd = nil
                    for offset in 0..<count { pendingRow.append((words[wordInPlan + offset], run.baseline)) }
                    if wordInPlan + count == words.count {
                        let baseline = pendingRow.first?.baseline ?? run.baseline
                        var start = 0
                        for (column, cellCount) in cells.enumerated() {
                            let cell = pendingRow[start..<(start + cellCount)].map(\.word)
                            start += cellCount
                            var x = layout.marginLeft + columns[min(column, columns.count - 1)]
                            for group in styleGroups(cell) {
                                let style = self.style(group[0], base: tableStyle)
                                let piece = StyledRun(text: group.map(\.text).joined(separator: " "), x: x, baseline: baseline, style: style)
                                output.append(piece)
                                body += place(piece, page: pageIndex, measure: &measure)
                                x += measure.width(piece.text + " ", style: style)
                            }
                        }
                        pendingRow = []
                    }
                }
                wordInPlan += count
                if wordInPlan >= words.count {
                    planIndex += 1
                    wordInPlan = 0
                }
            }
            output.append(runs[runs.count - 1])
            furniture += place(runs[runs.count - 1], page: pageIndex, measure: &measure)
            pages[pageIndex].runs = output
        }
        let pdf = try StyledPDFWriter.pdf(pages: pages, title: document.title)
        return RenderedSide(pdf: pdf, pageCount: pages.count, pageSize: layout.pageSize, body: body, furniture: furniture)
    }

    /// Wraps one paragraph at a measure narrowed by `inset` on the left and `inset / 2` on the right;
    /// returns its lines.
    private func wrap(_ words: [BenchWord], inset: Double, layout: FlowLayout) -> [[BenchWord]] {
        var narrow = FlowLayout()
        narrow.pageSize = PDFPageSize(width: layout.pageSize.width, height: 1_000_000)
        narrow.marginLeft = layout.marginLeft + inset
        narrow.marginRight = layout.marginRight + inset / 2
        var lines: [[BenchWord]] = []
        var next = 0
        var lastBaseline: Double?
        for run in narrow.pages(for: [spans(words, base: bodyStyle)]).first?.runs ?? [] {
            let count = run.text.split(separator: " ").count
            if run.baseline != lastBaseline { lines.append([]) }
            lastBaseline = run.baseline
            lines[lines.count - 1] += words[next..<min(next + count, words.count)]
            next += count
        }
        return lines
    }

    private func style(_ word: BenchWord, base: PDFTextStyle) -> PDFTextStyle {
        var style = base
        style.bold = word.bold
        style.italic = word.italic
        return style
    }

    private func styleGroups(_ words: [BenchWord]) -> [[BenchWord]] {
        var groups: [[BenchWord]] = []
        for word in words {
            if let last = groups.last?.last, last.bold == word.bold, last.italic == word.italic {
                groups[groups.count - 1].append(word)
            } else {
                groups.append([word])
            }
        }
        return groups
    }

    /// Spans of equal style; a span after the first starts with the separating space.
    private func spans(_ words: [BenchWord], base: PDFTextStyle) -> [StyledSpan] {
        var result: [StyledSpan] = []
        for (index, group) in styleGroups(words).enumerated() {
            let text = (index > 0 ? " " : "") + group.map(\.text).joined(separator: " ")
            result.append(StyledSpan(text, style: style(group[0], base: base)))
        }
        return result
    }

    private func place(_ run: StyledRun, page: Int, measure: inout WidthTable) -> [PlacedWord] {
        var x = run.x
        let space = measure.width(" ", style: run.style)
        return run.text.split(separator: " ").map { piece in
            let text = String(piece)
            let width = measure.width(text, style: run.style)
            defer { x += width + space }
            return PlacedWord(text: text, page: page, left: x, right: x + width, baseline: run.baseline, size: run.style.size)
        }
    }
}

/// Advance widths per style and character, measured once each.
///
/// Measured at 100 times the size and scaled down: the measuring surface rounds each glyph advance to
/// whole units (hinted metrics), while the PDF surface draws unhinted advances, so measuring at the real
/// size would drift by several points along a line.
struct WidthTable {
    private static let scale = 100.0
    private var widths: [PDFTextStyle: [Character: Double]] = [:]

    mutating func width(_ text: String, style: PDFTextStyle) -> Double {
        var total = 0.0
        for character in text {
            if let known = widths[style]?[character] {
                total += known
            } else {
                var large = style
                large.size = style.size * Self.scale
                let measured = StyledPDFWriter.width(of: String(character), style: large) / Self.scale
                widths[style, default: [:]][character] = measured
                total += measured
            }
        }
        return total
    }
}
