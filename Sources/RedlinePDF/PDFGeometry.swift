/// Size of a page in PDF points (1/72 inch), as the page is displayed (after its /Rotate).
public struct PDFPageSize: Sendable, Codable, Equatable, Hashable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// ISO A4, 210 x 297 mm.
    public static let a4 = PDFPageSize(width: 595.2756, height: 841.8898)
    /// US Letter, 8.5 x 11 in.
    public static let letter = PDFPageSize(width: 612, height: 792)
}

/// A rectangle in PDF points with the origin at the top-left corner of the page and y growing down,
/// the coordinate system viewers and the Draftable wire format use.
public struct PDFRect: Sendable, Codable, Equatable, Hashable {
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

    public var width: Double { right - left }
    public var height: Double { bottom - top }

    /// The smallest rectangle containing both.
    public func union(_ other: PDFRect) -> PDFRect {
        PDFRect(
            left: min(left, other.left), top: min(top, other.top),
            right: max(right, other.right), bottom: max(bottom, other.bottom)
        )
    }
}
