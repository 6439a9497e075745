import Foundation

/// Turns a page's characters into words.
///
/// Words end at whitespace and newlines, and also where glyph boxes jump: poppler glues text across
/// table cells and columns when the PDF draws them without spaces, and a comparison must not treat
/// "Total42.00" as one token. Characters of scripts written without spaces (Han, Kana) become
/// one-character words so edits inside a sentence align character by character.
enum WordBuilder {
    /// Horizontal gap, in font sizes, that splits glued glyphs into separate words.
    static let glueGapFactor = 0.4
    /// Horizontal gap, in font sizes, between words that starts a new line fragment (columns, table cells).
    static let fragmentGapFactor = 3.0

    static func words(from page: RawPage, pageIndex: Int) -> [PDFWord] {
        var builder = Accumulator(pageIndex: pageIndex, styles: page.styles)
        for character in page.characters {
            builder.add(character)
        }
        builder.flush()
        return builder.words
    }

    private struct Accumulator {
        let pageIndex: Int
        let styles: [PDFTextStyle]
        var words: [PDFWord] = []
        var lineID = 0
        var scalars = String.UnicodeScalarView()
        var box: PDFRect?
        var lastRect: PDFRect?
        var styleIndex = 0
        var needsNormalising = false
        /// The previous word (on this line) ended here; used to split columns.
        var previousWordBox: PDFRect?
        var previousWordWasCJK = false
        var pendingSoftHyphen = false

        init(pageIndex: Int, styles: [PDFTextStyle]) {
            self.pageIndex = pageIndex
            self.styles = styles
        }

        func fontSize(_ styleIndex: Int, _ rect: PDFRect?) -> Double {
            let size = styleIndex < styles.count ? styles[styleIndex].size : 0
            if size > 0.5 { return size }
            if let rect, rect.height > 0.5 { return rect.height }
            return 10
        }

        mutating func add(_ character: RawCharacter) {
            let scalar = character.scalar
            if scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                flush()
                lineID += 1
                previousWordBox = nil
                previousWordWasCJK = false
                return
            }
            if isSpace(scalar) {
                flush()
                return
            }
            if scalar == "\u{00AD}" || scalar == "\u{200B}" || scalar == "\u{FEFF}" || scalar == "\u{200C}" || scalar == "\u{200D}" {
                // Invisible inside a word: drop the character, keep measuring gaps from its box. A soft
                // hyphen that ends a word is a visible line-break hyphen: it becomes "-" so the comparison
                // can join the word halves.
                if !scalars.isEmpty, let rect = character.rect {
                    lastRect = rect
                    box = box.map { $0.union(rect) } ?? rect
                }
                if !scalars.isEmpty && scalar == "\u{00AD}" { pendingSoftHyphen = true }
                return
            }
            pendingSoftHyphen = false
            if scalars.isEmpty && previousWordWasCJK && !words.isEmpty && scalar.value >= 0x300
                && [.nonspacingMark, .spacingMark, .enclosingMark].contains(scalar.properties.generalCategory)
            {
                // A combining mark after a one-character word belongs to it.
                var last = words.removeLast()
                last.text = (last.text + String(Character(scalar))).precomposedStringWithCanonicalMapping
                words.append(last)
                return
            }
            let rect = character.rect
            if !scalars.isEmpty, let rect, let lastRect {
                let size = fontSize(styleIndex, lastRect)
                // Right-to-left scripts advance leftwards: measure the gap on whichever side it is.
                let rtl = isRightToLeft(scalar)
                let gap = rtl ? max(rect.left - lastRect.right, lastRect.left - rect.right) : rect.left - lastRect.right
                let verticalOverlap = min(rect.bottom, lastRect.bottom) - max(rect.top, lastRect.top)
                let jumpedBack = !rtl && rect.left < lastRect.left - 0.5 * size
                let movedLine = verticalOverlap < -0.1 * size
                if gap > WordBuilder.glueGapFactor * size || jumpedBack || movedLine {
                    flush()
                    if gap > WordBuilder.fragmentGapFactor * size || jumpedBack || movedLine {
                        lineID += 1
                        previousWordBox = nil
                    }
                }
            }
            if isCJK(scalar) {
                flush()
                startWordIfNeeded(rect: rect, styleIndex: character.styleIndex)
                scalars.append(scalar)
                extend(with: rect)
                flush()
                previousWordWasCJK = true
                return
            }
            startWordIfNeeded(rect: rect, styleIndex: character.styleIndex, rightToLeft: isRightToLeft(scalar))
            if let expansion = ligatureExpansion(scalar) {
                scalars.append(contentsOf: expansion.unicodeScalars)
            } else {
                if scalar.value >= 0x300 { needsNormalising = true }
                scalars.append(scalar)
            }
            extend(with: rect)
        }

        mutating func startWordIfNeeded(rect: PDFRect?, styleIndex: Int, rightToLeft: Bool = false) {
            guard scalars.isEmpty else { return }
            self.styleIndex = styleIndex
            if let rect, let previous = previousWordBox {
                let size = fontSize(styleIndex, rect)
                let gap = rightToLeft ? max(rect.left - previous.right, previous.left - rect.right) : rect.left - previous.right
                if gap > WordBuilder.fragmentGapFactor * size || (!rightToLeft && rect.left < previous.left - 0.5 * size) {
                    lineID += 1
                }
            }
        }

        mutating func extend(with rect: PDFRect?) {
            guard let rect else { return }
            box = box.map { $0.union(rect) } ?? rect
            lastRect = rect
        }

        mutating func flush() {
            defer {
                scalars = String.UnicodeScalarView()
                box = nil
                lastRect = nil
                needsNormalising = false
                previousWordWasCJK = false
                pendingSoftHyphen = false
            }
            guard !scalars.isEmpty else { return }
            if pendingSoftHyphen { scalars.append("-") }
            var text = String(scalars)
            if needsNormalising { text = text.precomposedStringWithCanonicalMapping }
            let wordBox = box ?? previousWordBox ?? words.last?.box ?? PDFRect(left: 0, top: 0, right: 0, bottom: 0)
            let style = styleIndex < styles.count ? styles[styleIndex] : .unknown
            words.append(PDFWord(text: text, pageIndex: pageIndex, box: wordBox, style: style, lineID: lineID))
            previousWordBox = wordBox
        }
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\u{00A0}" || scalar == "\u{3000}"
            || (scalar.value >= 0x2000 && scalar.value <= 0x200A) || scalar == "\u{202F}" || scalar == "\u{205F}"
            || scalar == "\u{000B}" || scalar == "\u{000C}"
    }

    /// Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
    static func isRightToLeft(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF:
            return true
        default:
            return false
        }
    }

    /// Scripts written without spaces between words, plus their punctuation and full-width forms.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3000...0x303F, 0x3040...0x309F, 0x30A0...0x30FF, 0x3100...0x312F, 0x31F0...0x31FF,
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x3FFFF:
            return true
        default:
            return false
        }
    }

    static func ligatureExpansion(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0xFB00: return "ff"
        case 0xFB01: return "fi"
        case 0xFB02: return "fl"
        case 0xFB03: return "ffi"
        case 0xFB04: return "ffl"
        case 0xFB05, 0xFB06: return "st"
        default: return nil
        }
    }
}
