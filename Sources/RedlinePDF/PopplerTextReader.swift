import CPoppler

/// One character of a page's text with its glyph box and style, as poppler reports them.
struct RawCharacter: Sendable, Equatable {
    var scalar: Unicode.Scalar
    /// Glyph box (top-left origin); nil when poppler gave no box for this character.
    var rect: PDFRect?
    /// Index into `RawPage.styles`.
    var styleIndex: Int
}

/// A page's characters in reading order, with a shared style table.
struct RawPage: Sendable, Equatable {
    var characters: [RawCharacter]
    var styles: [PDFTextStyle]
}

/// Reads text, per-character boxes and text attributes of a poppler page and lines them up.
///
/// `poppler_page_get_text` and `poppler_page_get_text_layout` walk the same glyph selection: the layout
/// has one rectangle per Unicode scalar of the text, including the synthesised spaces between words and
/// the newlines between lines. Attributes use the same scalar offsets. If a poppler version ever
/// disagrees, we fall back to skipping newlines, then to positional pairing, never to a crash.
enum PopplerTextReader {
    static func characters(of page: OpaquePointer) -> RawPage {
        guard let cText = poppler_page_get_text(page) else { return RawPage(characters: [], styles: []) }
        let text = String(cString: cText)
        g_free(cText)
        let scalars = Array(text.unicodeScalars)
        if scalars.isEmpty { return RawPage(characters: [], styles: []) }

        var rectangles: UnsafeMutablePointer<PopplerRectangle>?
        var rectangleCount: guint = 0
        var rects: [PDFRect] = []
        if poppler_page_get_text_layout(page, &rectangles, &rectangleCount) != 0, let rectangles {
            rects.reserveCapacity(Int(rectangleCount))
            for i in 0..<Int(rectangleCount) {
                let r = rectangles[i]
                rects.append(PDFRect(left: min(r.x1, r.x2), top: min(r.y1, r.y2), right: max(r.x1, r.x2), bottom: max(r.y1, r.y2)))
            }
        }
        g_free(rectangles)

        let (styleRanges, styles) = readAttributes(of: page)
        var characters: [RawCharacter] = []
        characters.reserveCapacity(scalars.count)
        let newlineCount = scalars.lazy.filter { $0 == "\n" }.count
        let skipNewlines = rects.count != scalars.count && rects.count == scalars.count - newlineCount
        var rectIndex = 0
        var rangeIndex = 0
        for (offset, scalar) in scalars.enumerated() {
            var rect: PDFRect?
            if skipNewlines && scalar == "\n" {
                rect = nil
            } else if rectIndex < rects.count {
                rect = rects[rectIndex]
                rectIndex += 1
            }
            while rangeIndex < styleRanges.count && styleRanges[rangeIndex].end < offset { rangeIndex += 1 }
            var styleIndex = 0
            if rangeIndex < styleRanges.count && styleRanges[rangeIndex].start <= offset {
                styleIndex = styleRanges[rangeIndex].style
            }
            characters.append(RawCharacter(scalar: scalar, rect: rect, styleIndex: styleIndex))
        }
        return RawPage(characters: characters, styles: styles)
    }

    /// Attribute ranges (inclusive scalar offsets) sorted by start, and the style table; style 0 is `.unknown`.
    private static func readAttributes(of page: OpaquePointer) -> ([(start: Int, end: Int, style: Int)], [PDFTextStyle]) {
        var styles: [PDFTextStyle] = [.unknown]
        var styleIndexByValue: [PDFTextStyle: Int] = [.unknown: 0]
        var fontCache: [String: ParsedFontName] = [:]
        var ranges: [(start: Int, end: Int, style: Int)] = []
        guard let list = poppler_page_get_text_attributes(page) else { return (ranges, styles) }
        defer { poppler_page_free_text_attributes(list) }
        var node: UnsafeMutablePointer<GList>? = list
        while let current = node {
            node = current.pointee.next
            guard let data = current.pointee.data else { continue }
            let attributes = data.assumingMemoryBound(to: PopplerTextAttributes.self).pointee
            let rawName = attributes.font_name.map { String(cString: $0) } ?? ""
            let parsed: ParsedFontName
            if let cached = fontCache[rawName] {
                parsed = cached
            } else {
                parsed = FontNameParser.parse(rawName)
                fontCache[rawName] = parsed
            }
            let size = attributes.font_size.isFinite ? (attributes.font_size * 100).rounded() / 100 : 0
            let style = PDFTextStyle(
                font: parsed.family, size: size, bold: parsed.bold, italic: parsed.italic,
                color: hexColor(red: attributes.color.red, green: attributes.color.green, blue: attributes.color.blue)
            )
            let index: Int
            if let known = styleIndexByValue[style] {
                index = known
            } else {
                index = styles.count
                styles.append(style)
                styleIndexByValue[style] = index
            }
            let start = Int(attributes.start_index)
            let end = Int(attributes.end_index)
            if start >= 0 && end >= start { ranges.append((start, end, index)) }
        }
        ranges.sort { $0.start < $1.start }
        return (ranges, styles)
    }

    static func hexColor(red: UInt16, green: UInt16, blue: UInt16) -> String {
        let digits = Array("0123456789abcdef")
        var result = "#"
        for channel in [red >> 8, green >> 8, blue >> 8] {
            result.append(digits[Int(channel >> 4)])
            result.append(digits[Int(channel & 0xF)])
        }
        return result
    }
}
