import Foundation

/// The change-details wire format, decoded with our own structs so this target does not depend on
/// the engine's Swift types. Lenient where the format allows it (optional texts, regions, styles).
struct ExportChanges: Decodable, Sendable {
    var changes: [ExportChange]
    var summary: Summary?

    static func decode(_ data: Data) throws -> ExportChanges {
        guard !data.isEmpty else { throw ExportError("The change details are empty") }
        do {
            return try JSONDecoder().decode(ExportChanges.self, from: data)
        } catch let error as DecodingError {
            throw ExportError("The change details are not valid: \(Self.describe(error))")
        } catch {
            throw ExportError("The change details are not valid JSON: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .dataCorrupted(let context): return "malformed JSON\(path(context))"
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\"\(path(context))"
        case .typeMismatch(_, let context): return "wrong type\(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "missing value\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}

enum ExportChangeKind: String, Decodable, Sendable {
    case match, insert, delete, replace, style, move
}

/// A rectangle in points, top-left origin, y down, relative to the displayed page.
struct Rect: Decodable, Sendable, Equatable {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double

    init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    /// Same rectangle with left <= right and top <= bottom.
    var normalized: Rect {
        Rect(left: min(left, right), top: min(top, bottom), right: max(left, right), bottom: max(top, bottom))
    }

    var width: Double { right - left }
    var height: Double { bottom - top }
    /// Finite, not degenerate, and within a million points of the origin (no real page is larger).
    var isUsable: Bool {
        [left, top, right, bottom].allSatisfy { $0.isFinite && abs($0) < 1_000_000 } && width > 0.01 && height > 0.01
    }

    func contains(x: Double, y: Double, slack: Double = 0) -> Bool {
        x >= left - slack && x <= right + slack && y >= top - slack && y <= bottom + slack
    }
}

struct Region: Decodable, Sendable {
    var pageIndex: Int
    var rectangles: [Rect]

    /// Normalised, finite, non-empty rectangles.
    var usableRectangles: [Rect] { rectangles.map(\.normalized).filter(\.isUsable) }
}

struct ExportDeletionMark: Decodable, Sendable {
    var pageIndex: Int
    var point: [Double]

    var x: Double? { point.count == 2 && point[0].isFinite && abs(point[0]) < 1_000_000 ? point[0] : nil }
    var y: Double? { point.count == 2 && point[1].isFinite && abs(point[1]) < 1_000_000 ? point[1] : nil }
}

struct TextStyle: Decodable, Sendable, Equatable {
    var color: String?
    var font: String?
    var emphasis: String?
    var size: Double?

    var bold: Bool { emphasis?.lowercased().contains("bold") ?? false }
    var italic: Bool { emphasis?.lowercased().contains("italic") ?? false }

    init(color: String? = nil, font: String? = nil, emphasis: String? = nil, size: Double? = nil) {
        self.color = color
        self.font = font
        self.emphasis = emphasis
        self.size = size
    }

    /// Short human description: "Helvetica 11pt bold #ff0000".
    var summary: String {
        var parts: [String] = []
        if let font, !font.isEmpty { parts.append(font) }
        if let size, size > 0 { parts.append("\(ExportNumber.format(size))pt") }
        if let emphasis, !emphasis.isEmpty { parts.append(emphasis) }
        if let color, !color.isEmpty { parts.append(color) }
        return parts.joined(separator: " ")
    }
}

struct ExportStylesInfo: Decodable, Sendable {
    var leftStyles: [TextStyle]?
    var rightStyles: [TextStyle]?
    var leftStyleMap: [String]?
    var rightStyleMap: [String]?

    /// Character ranges ("a-b", inclusive) paired with their styles for one side.
    func ranges(left: Bool) -> [(range: ClosedRange<Int>, style: TextStyle)] {
        let styles = (left ? leftStyles : rightStyles) ?? []
        let map = (left ? leftStyleMap : rightStyleMap) ?? []
        var result: [(ClosedRange<Int>, TextStyle)] = []
        for (index, entry) in map.enumerated() where index < styles.count {
            let bounds = entry.split(separator: "-").compactMap { Int($0) }
            guard bounds.count == 2, bounds[0] >= 0, bounds[1] >= bounds[0] else { continue }
            result.append((bounds[0]...bounds[1], styles[index]))
        }
        return result
    }
}

struct ExportChange: Decodable, Sendable {
    var kind: ExportChangeKind
    var text: String?
    var leftText: String?
    var rightText: String?
    var leftRegion: Region?
    var rightRegion: Region?
    var stylesInfo: ExportStylesInfo?
    var deletionMark: ExportDeletionMark?

    /// Text shown on the left side.
    var leftDisplayText: String { leftText ?? text ?? "" }
    /// Text shown on the right side.
    var rightDisplayText: String { rightText ?? text ?? "" }
}

struct Summary: Decodable, Sendable {
    struct Counts: Decodable, Sendable {
        var matches: Int?
        var deletions: Int?
        var insertions: Int?
        var replacements: Int?
        var styleChanges: Int?
        var moves: Int?
        var matchingWords: Int?
        var deletedLeftWords: Int?
        var insertedRightWords: Int?
        var replacedLeftWords: Int?
        var replacedRightWords: Int?
    }

    struct DocumentSummary: Decodable, Sendable {
        var pageCount: Int?
        var characterCount: Int?
        var wordCount: Int?
    }

    var anyChanges: Bool?
    var changeSummary: Counts?
    var leftDocumentSummary: DocumentSummary?
    var rightDocumentSummary: DocumentSummary?
}

/// Compact decimal formatting for PDF syntax and labels: no exponent, at most 3 decimals, no trailing zeros.
enum ExportNumber {
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        var text = String(format: "%.3f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
