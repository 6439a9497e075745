import Foundation

/// What a change segment is. `style` and `move` extend the Draftable v1 kinds.
public enum ChangeKind: String, Sendable, Codable, Equatable, CaseIterable {
    case match, insert, delete, replace
    /// Same text on both sides, different bold/italic/size/font/colour.
    case style
    /// A block of text that left its old place and reappears elsewhere (see `Change`).
    case move
}

/// A rectangle on the wire: PDF points, origin top-left, y down, rounded to 1/100 pt.
public struct WireRectangle: Sendable, Codable, Equatable, Hashable {
    public var left: Double
    public var top: Double
    public var right: Double
    public var bottom: Double

    public init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }
}

/// Where a segment sits on one side: one page, one rectangle per line fragment.
public struct ChangeRegion: Sendable, Codable, Equatable {
    public var pageIndex: Int
    public var rectangles: [WireRectangle]

    public init(pageIndex: Int, rectangles: [WireRectangle]) {
        self.pageIndex = pageIndex
        self.rectangles = rectangles
    }
}

/// A text style as Draftable reports it.
public struct WireStyle: Sendable, Codable, Equatable, Hashable {
    public var color: String
    public var font: String
    /// "", "bold", "italic" or "bold italic".
    public var emphasis: String
    public var size: Double

    public init(color: String, font: String, emphasis: String, size: Double) {
        self.color = color
        self.font = font
        self.emphasis = emphasis
        self.size = size
    }
}

/// Styles of a segment: `leftStyles[i]` applies to the inclusive character range `leftStyleMap[i]`
/// ("a-b", UTF-16 offsets into the side's text). Maps are null for a side without text.
public struct StylesInfo: Sendable, Codable, Equatable {
    public var leftStyles: [WireStyle]
    public var rightStyles: [WireStyle]
    public var leftStyleMap: [String]?
    public var rightStyleMap: [String]?

    public init(leftStyles: [WireStyle], rightStyles: [WireStyle], leftStyleMap: [String]?, rightStyleMap: [String]?) {
        self.leftStyles = leftStyles
        self.rightStyles = rightStyles
        self.leftStyleMap = leftStyleMap
        self.rightStyleMap = rightStyleMap
    }

    enum CodingKeys: String, CodingKey { case leftStyles, rightStyles, leftStyleMap, rightStyleMap }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(leftStyles, forKey: .leftStyles)
        try container.encode(rightStyles, forKey: .rightStyles)
        try container.encode(leftStyleMap, forKey: .leftStyleMap)
        try container.encode(rightStyleMap, forKey: .rightStyleMap)
    }
}

/// Where deleted text would have been on the right document: a page and an [x, y] point.
public struct DeletionMark: Sendable, Codable, Equatable {
    public var pageIndex: Int
    public var point: [Double]

    public init(pageIndex: Int, point: [Double]) {
        self.pageIndex = pageIndex
        self.point = point
    }
}

/// One segment of the comparison, in right-document order.
///
/// - `match`: `text` set, `leftText`/`rightText` null (as Draftable sends), both regions.
/// - `insert`: `rightText` and `rightRegion`; `delete`: `leftText`, `leftRegion` and `deletionMark`.
/// - `replace`, `style`: both texts and both regions.
/// - `move`: emitted once, at the position of the moved text in the right document, with `rightRegion`
///   (new place), `leftRegion` (old place, which is how viewers find where it came from), both texts and
///   `deletionMark` pointing at the right-document spot the text was moved away from. The old place
///   produces no separate `delete`.
/// A segment never spans pages: each region is on one page.
public struct Change: Sendable, Codable, Equatable {
    public var kind: ChangeKind
    /// The matched text (match segments only; null otherwise).
    public var text: String?
    public var leftText: String?
    public var rightText: String?
    public var leftRegion: ChangeRegion?
    public var rightRegion: ChangeRegion?
    public var stylesInfo: StylesInfo
    public var deletionMark: DeletionMark?

    public init(
        kind: ChangeKind, text: String? = nil, leftText: String? = nil, rightText: String? = nil,
        leftRegion: ChangeRegion? = nil, rightRegion: ChangeRegion? = nil,
        stylesInfo: StylesInfo = StylesInfo(leftStyles: [], rightStyles: [], leftStyleMap: nil, rightStyleMap: nil),
        deletionMark: DeletionMark? = nil
    ) {
        self.kind = kind
        self.text = text
        self.leftText = leftText
        self.rightText = rightText
        self.leftRegion = leftRegion
        self.rightRegion = rightRegion
        self.stylesInfo = stylesInfo
        self.deletionMark = deletionMark
    }

    enum CodingKeys: String, CodingKey {
        case kind, text, leftText, rightText, leftRegion, rightRegion, stylesInfo, deletionMark
    }

    /// Every key is written, absent values as explicit `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(text, forKey: .text)
        try container.encode(leftText, forKey: .leftText)
        try container.encode(rightText, forKey: .rightText)
        try container.encode(leftRegion, forKey: .leftRegion)
        try container.encode(rightRegion, forKey: .rightRegion)
        try container.encode(stylesInfo, forKey: .stylesInfo)
        try container.encode(deletionMark, forKey: .deletionMark)
    }
}

/// Counts of segments (matches ... moves) and of words by fate.
public struct ChangeSummary: Sendable, Codable, Equatable {
    public var matches = 0
    public var deletions = 0
    public var insertions = 0
    public var replacements = 0
    public var styleChanges = 0
    public var moves = 0
    public var matchingWords = 0
    public var deletedLeftWords = 0
    public var replacedLeftWords = 0
    public var insertedRightWords = 0
    public var replacedRightWords = 0

    public init() {}
}

/// Size of one compared document.
public struct DocumentSummary: Sendable, Codable, Equatable {
    public var pageCount: Int
    /// Characters in words (whitespace not counted).
    public var characterCount: Int
    public var wordCount: Int

    public init(pageCount: Int, characterCount: Int, wordCount: Int) {
        self.pageCount = pageCount
        self.characterCount = characterCount
        self.wordCount = wordCount
    }
}

/// The `summary` object of the change details.
public struct ChangeSummaryDocument: Sendable, Codable, Equatable {
    public var anyChanges: Bool
    public var anyMatches: Bool
    public var changeSummary: ChangeSummary
    public var leftDocumentSummary: DocumentSummary
    public var rightDocumentSummary: DocumentSummary

    public init(
        anyChanges: Bool, anyMatches: Bool, changeSummary: ChangeSummary,
        leftDocumentSummary: DocumentSummary, rightDocumentSummary: DocumentSummary
    ) {
        self.anyChanges = anyChanges
        self.anyMatches = anyMatches
        self.changeSummary = changeSummary
        self.leftDocumentSummary = leftDocumentSummary
        self.rightDocumentSummary = rightDocumentSummary
    }
}

/// The result a client fetches: every segment of the document plus a summary
/// (Draftable Compare API v1 "change details" format, with `style`/`move` extensions).
public struct ChangeDetails: Sendable, Codable, Equatable {
    public var changes: [Change]
    public var summary: ChangeSummaryDocument

    public init(changes: [Change], summary: ChangeSummaryDocument) {
        self.changes = changes
        self.summary = summary
    }

    /// The wire JSON: keys in the documented order, explicit nulls.
    public func jsonData() throws -> Data {
        WireJSON.encode(self)
    }
}
