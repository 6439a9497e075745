/// One word of a generated document: its text and emphasis. Words never contain whitespace, so a word is
/// exactly one word for `pdftotext`, for poppler and for the engine.
public struct BenchWord: Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var bold: Bool
    public var italic: Bool

    public init(_ text: String, bold: Bool = false, italic: Bool = false) {
        self.text = text
        self.bold = bold
        self.italic = italic
    }

    public var description: String { text }
}

/// What a block is, which decides how it is laid out.
public enum BlockKind: Sendable, Hashable {
    /// A clause heading ("7. CONFIDENTIALITY"), bold.
    case heading
    /// A numbered (sub-)clause or other running paragraph, wrapped to the text width.
    case paragraph
    /// A row of a table: one entry of `cells` per column, each cell drawn at its column's x position.
    case tableRow
}

/// A block of a generated document: a heading, a paragraph or a table row.
public struct BenchBlock: Sendable, Hashable {
    /// Stable identity across the two sides of a pair (a block inserted on the right gets a new one).
    public var id: Int
    public var kind: BlockKind
    /// One cell for headings and paragraphs; one per column for table rows.
    public var cells: [[BenchWord]]
    /// A paragraph laid out with extra left indent and a narrower measure (points): same words,
    /// different line breaks. 0 for the normal measure.
    public var inset: Double

    public init(id: Int, kind: BlockKind, cells: [[BenchWord]], inset: Double = 0) {
        self.id = id
        self.kind = kind
        self.cells = cells
        self.inset = inset
    }

    /// The block's words in reading order (cells left to right).
    public var words: [BenchWord] { cells.flatMap { $0 } }
}

/// A generated document: a title (the running header) and its blocks. Body word IDs are positions in
/// `words` (blocks in order, cells in order).
public struct BenchDocument: Sendable, Hashable {
    public var title: String
    public var blocks: [BenchBlock]

    public init(title: String, blocks: [BenchBlock]) {
        self.title = title
        self.blocks = blocks
    }

    /// Every body word in document order; a word's index here is its ID.
    public var words: [BenchWord] { blocks.flatMap(\.words) }

    /// Word-ID range of each block, in block order.
    public var blockWordRanges: [Range<Int>] {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(blocks.count)
        var next = 0
        for block in blocks {
            let count = block.cells.reduce(0) { $0 + $1.count }
            ranges.append(next..<(next + count))
            next += count
        }
        return ranges
    }

    /// The body as plain text: one line per heading/paragraph, table cells separated by " | ", blocks
    /// separated by a blank line. The text the peers would get from a perfect extractor.
    public var plainText: String {
        blocks.map { block in
            block.cells.map { $0.map(\.text).joined(separator: " ") }.joined(separator: block.kind == .tableRow ? " | " : " ")
        }.joined(separator: "\n\n") + "\n"
    }
}
