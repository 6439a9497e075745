/// How a run of text looks. Two words with equal text but different styles produce a `style` change.
public struct PDFTextStyle: Sendable, Codable, Equatable, Hashable {
    /// Font family as named in the PDF, without a subset prefix ("ABCDEF+") or weight/slant suffix.
    public var font: String
    /// Font size in points.
    public var size: Double
    public var bold: Bool
    public var italic: Bool
    /// Fill colour as "#rrggbb" (lower-case hex).
    public var color: String

    public init(font: String, size: Double, bold: Bool = false, italic: Bool = false, color: String = "#000000") {
        self.font = font
        self.size = size
        self.bold = bold
        self.italic = italic
        self.color = color
    }

    /// Draftable's emphasis string: "", "bold", "italic" or "bold italic".
    public var emphasis: String {
        switch (bold, italic) {
        case (false, false): return ""
        case (true, false): return "bold"
        case (false, true): return "italic"
        case (true, true): return "bold italic"
        }
    }

    /// Style used when poppler reports no attributes for a character.
    public static let unknown = PDFTextStyle(font: "", size: 0)
}

/// One word of a page: the unit the comparison aligns. Text is normalised (NFC, ligatures expanded,
/// soft hyphens removed, except that one ending a word is shown as the "-" it renders as); the box
/// covers all of its glyphs.
public struct PDFWord: Sendable, Equatable {
    public var text: String
    /// 0-based page index.
    public var pageIndex: Int
    /// Union of the glyph boxes, top-left origin, points.
    public var box: PDFRect
    /// Style of the word's first glyph.
    public var style: PDFTextStyle
    /// Words on the same text line (and the same side of a large horizontal gap) share it; unique within a page.
    public var lineID: Int

    public init(text: String, pageIndex: Int, box: PDFRect, style: PDFTextStyle, lineID: Int) {
        self.text = text
        self.pageIndex = pageIndex
        self.box = box
        self.style = style
        self.lineID = lineID
    }

    /// True for characters of scripts written without spaces between words (Han, Kana, CJK punctuation
    /// and full-width forms): extraction makes each one a word, and texts join them without spaces.
    public static func isSpacelessScript(_ scalar: Unicode.Scalar) -> Bool {
        WordBuilder.isCJK(scalar)
    }
}
