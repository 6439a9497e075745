import Foundation

/// Family, weight and slant read from a PDF font name such as "ABCDEF+Arial-BoldItalicMT".
struct ParsedFontName: Sendable, Equatable, Hashable {
    var family: String
    var bold: Bool
    var italic: Bool
}

/// PDFs rarely carry reliable weight/slant flags in the text layer, but font names almost always do,
/// so bold/italic are inferred from the name and the style words are stripped to get the family.
enum FontNameParser {
    private static let boldWords = ["semibold", "demibold", "extrabold", "ultrabold", "bold", "black", "heavy", "demi"]
    private static let italicWords = ["italic", "oblique", "inclined", "kursiv"]
    private static let otherStyleWords = ["regular", "regu", "roman", "book", "medium", "medi", "normal", "light", "thin", "plain"]

    static func parse(_ rawName: String) -> ParsedFontName {
        var name = Substring(rawName)
        // Subset prefix: exactly six upper-case letters and a plus sign.
        if name.count > 7, let plus = name.firstIndex(of: "+"), name.distance(from: name.startIndex, to: plus) == 6,
            name[..<plus].allSatisfy({ $0.isASCII && $0.isUppercase })
        {
            name = name[name.index(after: plus)...]
        }
        let lower = name.lowercased()
        var bold = boldWords.contains { lower.contains($0) }
        var italic = italicWords.contains { lower.contains($0) }
        // Abbreviated suffixes ("-ReguItal", "-MediItal") only count after the separator ("Digital" is a family).
        if let separator = name.lastIndex(where: { $0 == "-" || $0 == "," }), name[separator...].lowercased().contains("ital") {
            italic = true
        }
        // TeX Computer Modern / EC fonts encode the shape in the name: CMBX12 (bold), CMTI10, CMSL10 (slanted).
        if name.count <= 10, lower.hasPrefix("cm") || lower.hasPrefix("ec"), name.last?.isNumber == true {
            let shape = lower.dropFirst(2).filter(\.isLetter)
            if shape.contains("bx") || shape == "b" || shape.hasPrefix("bx") { bold = true }
            if shape.contains("ti") || shape.contains("sl") || shape == "itt" { italic = true }
        }
        var family = String(name)
        let styleWords = boldWords + italicWords + otherStyleWords + ["ital"]
        // PostScript names: "Arial-BoldMT", "TimesNewRoman,Bold".
        for separator in ["-", ","] {
            if let range = family.range(of: separator, options: .backwards) {
                let suffix = family[range.upperBound...].lowercased()
                if styleWords.contains(where: { suffix.hasPrefix($0) }) || suffix == "mt" {
                    family = String(family[..<range.lowerBound])
                }
            }
        }
        // Full names: "Foo Sans Bold Italic" (but keep "Times New Roman").
        while let range = family.range(of: " ", options: .backwards) {
            let suffix = family[range.upperBound...].lowercased()
            guard suffix != "roman", styleWords.contains(suffix) else { break }
            family = String(family[..<range.lowerBound])
        }
        if family.hasSuffix("PSMT") && family.count > 4 {
            family.removeLast(4)
        } else if family.hasSuffix("MT") && family.count > 2 {
            family.removeLast(2)
        }
        family = family.trimmingCharacters(in: .whitespaces)
        if family.isEmpty { family = String(name) }
        return ParsedFontName(family: family, bold: bold, italic: italic)
    }
}
