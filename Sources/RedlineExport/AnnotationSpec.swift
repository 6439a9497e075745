import Foundation

/// A point in displayed-page coordinates (points, origin top-left, y down).
struct DisplayPoint: Sendable, Equatable {
    var x: Double
    var y: Double
}

struct RGBColor: Sendable, Equatable {
    var red: Double
    var green: Double
    var blue: Double

    static let insert = RGBColor(red: 0.16, green: 0.75, blue: 0.30)
    static let delete = RGBColor(red: 0.95, green: 0.22, blue: 0.22)
    static let replace = RGBColor(red: 1.0, green: 0.58, blue: 0.05)
    static let style = RGBColor(red: 0.62, green: 0.35, blue: 0.90)
    static let move = RGBColor(red: 0.22, green: 0.50, blue: 0.98)
    static let marker = RGBColor(red: 0.85, green: 0.05, blue: 0.05)
}

/// One annotation to add to a page, in displayed-page coordinates; `PDFAnnotator` maps it to user space.
struct AnnotationSpec: Sendable {
    enum Subtype: String, Sendable {
        case highlight = "Highlight"
        case caret = "Caret"
    }

    var subtype: Subtype
    var pageIndex: Int
    /// Highlight: one rectangle per line fragment (becomes /QuadPoints). Caret: the marker's box.
    var rectangles: [Rect]
    /// Filled polygons drawn by the appearance stream (highlights fill their rectangles).
    var shapes: [[DisplayPoint]]
    var color: RGBColor
    /// Fill opacity of the appearance stream (and /CA).
    var opacity: Double
    var contents: String
    /// /Subj: what kind of change it is ("Insertion", "Deletion", ...).
    var subject: String

    static func highlight(page: Int, rectangles: [Rect], color: RGBColor, contents: String, subject: String) -> AnnotationSpec {
        let shapes = rectangles.map { rect in
            [
                DisplayPoint(x: rect.left, y: rect.top), DisplayPoint(x: rect.right, y: rect.top),
                DisplayPoint(x: rect.right, y: rect.bottom), DisplayPoint(x: rect.left, y: rect.bottom),
            ]
        }
        return AnnotationSpec(
            subtype: .highlight, pageIndex: page, rectangles: rectangles, shapes: shapes, color: color,
            opacity: 0.4, contents: contents, subject: subject)
    }

    /// Where text was deleted: a thin red bar over the line's height (like a text cursor) with a caret
    /// below the line pointing up at it. `point` is the top of the line at the deletion (the engine's
    /// `deletionMark`: the right edge of the word before, or the left edge of the word after).
    static func deletionMarker(page: Int, at point: DisplayPoint, size: Double, contents: String) -> AnnotationSpec {
        let height = max(6, min(size, 40))
        let x = point.x
        let top = point.y
        let bottom = top + height
        let half = height * 0.3
        let bar = max(0.4, height * 0.045)
        let tipY = bottom - height * 0.25
        let feetY = bottom + height * 0.12
        let stem = [
            DisplayPoint(x: x - bar, y: top), DisplayPoint(x: x + bar, y: top),
            DisplayPoint(x: x + bar, y: tipY + 0.5), DisplayPoint(x: x - bar, y: tipY + 0.5),
        ]
        let caret = [
            DisplayPoint(x: x, y: tipY), DisplayPoint(x: x + half, y: feetY),
            DisplayPoint(x: x + half * 0.55, y: feetY), DisplayPoint(x: x, y: tipY + height * 0.2),
            DisplayPoint(x: x - half * 0.55, y: feetY), DisplayPoint(x: x - half, y: feetY),
        ]
        let box = Rect(left: x - half - 0.5, top: top - 0.5, right: x + half + 0.5, bottom: feetY + 0.5)
        return AnnotationSpec(
            subtype: .caret, pageIndex: page, rectangles: [box], shapes: [stem, caret], color: .marker, opacity: 1,
            contents: contents, subject: "Deletion")
    }
}
