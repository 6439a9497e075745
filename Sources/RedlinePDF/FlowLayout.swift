import Foundation

/// A piece of a paragraph in one style.
public struct StyledSpan: Sendable, Equatable {
    public var text: String
    public var style: PDFTextStyle

    public init(_ text: String, style: PDFTextStyle = FlowLayout.defaultStyle) {
        self.text = text
        self.style = style
    }
}

/// Lays paragraphs of styled text out into pages: greedy line wrapping at the text width, pagination,
/// optional running header and footer ("{page}" and "{pages}" are replaced).
///
/// Used by `TextPDFWriter` for TXT uploads and by tests/benchmarks to build realistic documents
/// (reflowed paragraphs, page footers, styled words) without external tools.
public struct FlowLayout: Sendable {
    public static let defaultStyle = PDFTextStyle(font: "DejaVu Sans", size: 11)

    public var pageSize: PDFPageSize = .a4
    public var marginTop = 72.0
    public var marginBottom = 72.0
    public var marginLeft = 72.0
    public var marginRight = 72.0
    /// Line height as a multiple of the largest font size on the line.
    public var lineSpacing = 1.35
    /// Extra space after each paragraph, as a multiple of the last line's height.
    public var paragraphSpacing = 0.5
    public var header: String?
    public var footer: String?
    public var headerStyle = PDFTextStyle(font: "DejaVu Sans", size: 9, color: "#444444")

    public init() {}

    private struct Token {
        var text: String
        var style: PDFTextStyle
        var spaceBefore: Bool
        var width: Double
    }

    private struct Line {
        var tokens: [Token] = []
        var width = 0.0
        var maxSize = 0.0
    }

    /// Lays out `paragraphs` and returns the pages (at least one).
    public func pages(for paragraphs: [[StyledSpan]]) -> [StyledPage] {
        guard let measurer = CairoText() else { return [StyledPage(size: pageSize)] }
        let textWidth = max(pageSize.width - marginLeft - marginRight, 20)
        let bottomLimit = pageSize.height - marginBottom
        var pages: [StyledPage] = []
        var runs: [StyledRun] = []
        var y = marginTop
        var spaceWidths: [PDFTextStyle: Double] = [:]

        func spaceWidth(_ style: PDFTextStyle) -> Double {
            if let known = spaceWidths[style] { return known }
            let width = measurer.width(" ", style: style)
            spaceWidths[style] = width
            return width
        }

        func emit(_ line: Line, defaultSize: Double) {
            let size = line.maxSize > 0 ? line.maxSize : defaultSize
            let height = size * lineSpacing
            if y + height > bottomLimit && !runs.isEmpty {
                pages.append(StyledPage(size: pageSize, runs: runs))
                runs = []
                y = marginTop
            }
            let baseline = y + size
            var x = marginLeft
            var current: StyledRun?
            for (index, token) in line.tokens.enumerated() {
                let gap = index > 0 && token.spaceBefore ? spaceWidth(token.style) : 0
                if var run = current, run.style == token.style {
                    run.text += (gap > 0 ? " " : "") + token.text
                    current = run
                } else {
                    if let run = current { runs.append(run) }
                    current = StyledRun(text: token.text, x: x + gap, baseline: baseline, style: token.style)
                }
                x += gap + token.width
            }
            if let run = current { runs.append(run) }
            y += height
        }

        for paragraph in paragraphs {
            let tokens = tokenize(paragraph, measurer: measurer, maxWidth: textWidth)
            let defaultSize = paragraph.first?.style.size ?? FlowLayout.defaultStyle.size
            var line = Line()
            for token in tokens {
                let gap = line.tokens.isEmpty || !token.spaceBefore ? 0 : spaceWidth(token.style)
                if !line.tokens.isEmpty && line.width + gap + token.width > textWidth {
                    emit(line, defaultSize: defaultSize)
                    line = Line()
                    var first = token
                    first.spaceBefore = false
                    line.tokens.append(first)
                    line.width = token.width
                } else {
                    line.tokens.append(token)
                    line.width += gap + token.width
                }
                line.maxSize = max(line.maxSize, token.style.size)
            }
            emit(line, defaultSize: defaultSize)
            y += defaultSize * lineSpacing * paragraphSpacing
        }
        if !runs.isEmpty || pages.isEmpty { pages.append(StyledPage(size: pageSize, runs: runs)) }
        addHeaderAndFooter(to: &pages, measurer: measurer)
        return pages
    }

    private func addHeaderAndFooter(to pages: inout [StyledPage], measurer: CairoText) {
        for index in pages.indices {
            func fill(_ template: String) -> String {
                template.replacingOccurrences(of: "{page}", with: String(index + 1))
                    .replacingOccurrences(of: "{pages}", with: String(pages.count))
            }
            if let header, !header.isEmpty {
                let text = fill(header)
                pages[index].runs.insert(
                    StyledRun(text: text, x: marginLeft, baseline: marginTop / 2, style: headerStyle), at: 0)
            }
            if let footer, !footer.isEmpty {
                let text = fill(footer)
                let width = measurer.width(text, style: headerStyle)
                pages[index].runs.append(
                    StyledRun(
                        text: text, x: (pageSize.width - width) / 2,
                        baseline: pageSize.height - marginBottom / 2, style: headerStyle))
            }
        }
    }

    /// Splits spans into wrap units: space-separated words, single CJK characters, and pieces of
    /// words too long for a line.
    private func tokenize(_ spans: [StyledSpan], measurer: CairoText, maxWidth: Double) -> [Token] {
        var tokens: [Token] = []
        var pendingSpace = false
        for span in spans {
            var characterWidths: [Character: Double] = [:]
            var word = ""
            func flushWord() {
                guard !word.isEmpty else { return }
                let width = measurer.width(word, style: span.style)
                if width <= maxWidth {
                    tokens.append(Token(text: word, style: span.style, spaceBefore: pendingSpace, width: width))
                } else {
                    // Too long for a line: break between characters, measuring each character once.
                    var piece = ""
                    var pieceWidth = 0.0
                    var first = true
                    for character in word {
                        let characterWidth: Double
                        if let known = characterWidths[character] {
                            characterWidth = known
                        } else {
                            characterWidth = measurer.width(String(character), style: span.style)
                            characterWidths[character] = characterWidth
                        }
                        if !piece.isEmpty && pieceWidth + characterWidth > maxWidth {
                            tokens.append(Token(text: piece, style: span.style, spaceBefore: first && pendingSpace, width: pieceWidth))
                            first = false
                            piece = ""
                            pieceWidth = 0
                        }
                        piece.append(character)
                        pieceWidth += characterWidth
                    }
                    if !piece.isEmpty {
                        tokens.append(Token(text: piece, style: span.style, spaceBefore: first && pendingSpace, width: pieceWidth))
                    }
                }
                word = ""
                pendingSpace = false
            }
            for character in span.text {
                if character.isWhitespace {
                    flushWord()
                    pendingSpace = true
                } else if let scalar = character.unicodeScalars.first, WordBuilder.isCJK(scalar) {
                    flushWord()
                    let text = String(character)
                    tokens.append(
                        Token(text: text, style: span.style, spaceBefore: pendingSpace,
                              width: measurer.width(text, style: span.style)))
                    pendingSpace = false
                } else {
                    word.append(character)
                }
            }
            flushWord()
        }
        return tokens
    }
}
