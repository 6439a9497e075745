import CPoppler
import Foundation

/// Chooses fonts, measures and draws text with cairo's toy font API (fontconfig picks the files).
///
/// The toy API has no font fallback, so text is split into pieces per font: each character uses the
/// requested family when that font has a glyph for it, otherwise the first fallback family that does.
/// Owns one cairo context; not thread-safe (create one per writer call).
final class CairoText {
    /// Families tried, in order, for characters the requested font lacks.
    static let fallbackFamilies = [
        "DejaVu Sans", "Liberation Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR",
        "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN", "Noto Sans",
    ]

    private let context: OpaquePointer
    private let ownedSurface: OpaquePointer?
    /// (family, bold, italic, scalar) -> has glyph.
    private var glyphCache: [GlyphKey: Bool] = [:]

    private struct GlyphKey: Hashable {
        var family: String
        var bold: Bool
        var italic: Bool
        var scalar: UInt32
    }

    /// A measuring-only instance on a scratch surface.
    convenience init?() {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1) else { return nil }
        guard let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            return nil
        }
        self.init(context: context, ownedSurface: surface)
    }

    /// Wraps a context; takes ownership of it (and of `ownedSurface` when given).
    init(context: OpaquePointer, ownedSurface: OpaquePointer?) {
        self.context = context
        self.ownedSurface = ownedSurface
    }

    deinit {
        cairo_destroy(context)
        if let ownedSurface { cairo_surface_destroy(ownedSurface) }
    }

    var cairo: OpaquePointer { context }

    private func select(family: String, style: PDFTextStyle) {
        cairo_select_font_face(
            context, family,
            style.italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
            style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL
        )
        cairo_set_font_size(context, style.size > 0 ? style.size : 11)
    }

    private func hasGlyph(_ scalar: Unicode.Scalar, family: String, style: PDFTextStyle) -> Bool {
        let key = GlyphKey(family: family, bold: style.bold, italic: style.italic, scalar: scalar.value)
        if let known = glyphCache[key] { return known }
        select(family: family, style: style)
        var found = false
        if let scaledFont = cairo_get_scaled_font(context) {
            var glyphs: UnsafeMutablePointer<cairo_glyph_t>?
            var glyphCount: Int32 = 0
            let utf8 = String(Character(scalar))
            let status = cairo_scaled_font_text_to_glyphs(
                scaledFont, 0, 0, utf8, -1, &glyphs, &glyphCount, nil, nil, nil)
            if status == CAIRO_STATUS_SUCCESS, let glyphs {
                found = glyphCount > 0 && (0..<Int(glyphCount)).allSatisfy { glyphs[$0].index != 0 }
            }
            cairo_glyph_free(glyphs)
        }
        glyphCache[key] = found
        return found
    }

    /// Splits `text` into pieces that each draw with one family.
    func pieces(_ text: String, style: PDFTextStyle) -> [(text: String, family: String)] {
        var result: [(text: String, family: String)] = []
        for character in text {
            let scalar = character.unicodeScalars.first ?? " "
            var family = style.font
            if scalar.value > 0x7F, !scalar.properties.isWhitespace, !hasGlyph(scalar, family: family, style: style) {
                family = Self.fallbackFamilies.first { hasGlyph(scalar, family: $0, style: style) } ?? style.font
            }
            if let last = result.last, last.family == family {
                result[result.count - 1].text.append(character)
            } else {
                result.append((String(character), family))
            }
        }
        return result
    }

    /// Advance width of `text` in points.
    func width(_ text: String, style: PDFTextStyle) -> Double {
        var total = 0.0
        for piece in pieces(text, style: style) {
            select(family: piece.family, style: style)
            var extents = cairo_text_extents_t()
            cairo_text_extents(context, piece.text, &extents)
            total += extents.x_advance
        }
        return total
    }

    /// Draws `text` with its baseline starting at (x, baseline); returns the advance.
    @discardableResult
    func draw(_ text: String, x: Double, baseline: Double, style: PDFTextStyle) -> Double {
        let (red, green, blue) = Self.rgb(style.color)
        cairo_set_source_rgb(context, red, green, blue)
        var cursor = x
        for piece in pieces(text, style: style) {
            select(family: piece.family, style: style)
            cairo_move_to(context, cursor, baseline)
            cairo_show_text(context, piece.text)
            var extents = cairo_text_extents_t()
            cairo_text_extents(context, piece.text, &extents)
            cursor += extents.x_advance
        }
        return cursor - x
    }

    /// Parses "#rrggbb" into 0...1 channels; black for anything else.
    static func rgb(_ hex: String) -> (Double, Double, Double) {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return (0, 0, 0) }
        return (Double((value >> 16) & 0xFF) / 255, Double((value >> 8) & 0xFF) / 255, Double(value & 0xFF) / 255)
    }
}
