import Foundation
import RedlinePDF

/// A unit of alignment: usually one word, two when a hyphenated line break was joined.
struct Token: Sendable {
    /// Interned comparison key (normalised text).
    var key: Int
    /// Display text.
    var text: String
    /// Index of the first word in `DocumentText.words`.
    var firstWord: Int
    /// Number of consecutive words this token covers (1 or 2).
    var wordCount: Int
    var page: Int
    var style: PDFTextStyle

    var wordRange: Range<Int> { firstWord..<(firstWord + wordCount) }
}

/// Maps normalised texts to small integers shared by both documents so alignment compares ints.
struct KeyInterner {
    private(set) var ids: [String: Int] = [:]
    private(set) var lengths: [Int] = []

    mutating func id(_ key: String) -> Int {
        if let known = ids[key] { return known }
        let id = lengths.count
        ids[key] = id
        lengths.append(key.count)
        return id
    }

    var count: Int { lengths.count }
}

/// Comparison-key normalisation: what is not a change (typographic quote variants, hyphens inside words
/// that come and go with line breaks, optionally case, and for page furniture the digits).
enum KeyNormaliser {
    static func key(_ text: String, caseSensitive: Bool, generaliseDigits: Bool = false) -> String {
        var needsWork = generaliseDigits || !caseSensitive
        if !needsWork {
            for scalar in text.unicodeScalars where scalar == "-" || scalar.value > 0x7F {
                needsWork = true
                break
            }
        }
        if !needsWork { return text }
        var result = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var lastWasDigit = false
        for (index, scalar) in scalars.enumerated() {
            var out = scalar
            switch scalar.value {
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032: out = "'"
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033: out = "\""
            case 0x2010, 0x2011: out = "-"
            default: break
            }
            if out == "-", index > 0, index + 1 < scalars.count,
                scalars[index - 1].properties.isAlphabetic, scalars[index + 1].properties.isAlphabetic
            {
                continue  // "well-known" == "wellknown" == "well-" + "known" across a line break
            }
            if generaliseDigits && out.value >= 0x30 && out.value <= 0x39 {
                if !lastWasDigit { result.append("#") }
                lastWasDigit = true
                continue
            }
            lastWasDigit = false
            result.append(out)
        }
        let string = String(result)
        return caseSensitive ? string : string.lowercased()
    }
}
