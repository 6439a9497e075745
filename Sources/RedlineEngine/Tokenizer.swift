import Foundation
import RedlinePDF

/// Turns a document's words into the two token streams the engine aligns: body text, and the
/// representatives of running headers/footers. Joins words split by end-of-line hyphenation.
struct Tokenizer {
    var options: ComparisonOptions

    struct Streams {
        var body: [Token]
        var furniture: [Token]
    }

    func tokenize(_ document: DocumentText, interner: inout KeyInterner) -> Streams {
        let words = document.words
        var isFurniture = [Bool](repeating: false, count: words.count)
        var representatives: [Range<Int>] = []
        if options.detectHeadersAndFooters {
            let detector = HeaderFooterDetector(band: options.headerFooterBand, minimumPageShare: options.headerFooterMinimumPageShare)
            let result = detector.detect(in: document, caseSensitive: options.caseSensitive)
            isFurniture = result.isFurniture
            representatives = result.representatives
        }
        var body: [Token] = []
        body.reserveCapacity(words.count)
        var index = 0
        while index < words.count {
            if isFurniture[index] {
                index += 1
                continue
            }
            let word = words[index]
            if options.joinHyphenation, index + 1 < words.count, !isFurniture[index + 1],
                let joined = hyphenJoin(word, words[index + 1])
            {
                let key = interner.id(KeyNormaliser.key(joined, caseSensitive: options.caseSensitive))
                body.append(Token(key: key, text: joined, firstWord: index, wordCount: 2, page: word.pageIndex, style: word.style))
                index += 2
                continue
            }
            let key = interner.id(KeyNormaliser.key(word.text, caseSensitive: options.caseSensitive))
            body.append(Token(key: key, text: word.text, firstWord: index, wordCount: 1, page: word.pageIndex, style: word.style))
            index += 1
        }
        var furniture: [Token] = []
        for range in representatives {
            for index in range {
                let word = words[index]
                let key = interner.id("\u{1}" + KeyNormaliser.key(word.text, caseSensitive: options.caseSensitive, generaliseDigits: true))
                furniture.append(Token(key: key, text: word.text, firstWord: index, wordCount: 1, page: word.pageIndex, style: word.style))
            }
        }
        return Streams(body: body, furniture: furniture)
    }

    /// Joins a word broken at a line end: "contrac-" + "tor" -> "contractor"; a compound keeps its hyphen
    /// ("Non-" + "Disclosure" -> "Non-Disclosure", "2021-" + "2022" -> "2021-2022"). Comparison keys drop
    /// hyphens between letters, so every variant matches the unbroken word.
    private func hyphenJoin(_ first: PDFWord, _ second: PDFWord) -> String? {
        guard first.lineID != second.lineID || first.pageIndex != second.pageIndex else { return nil }
        let scalars = first.text.unicodeScalars
        guard scalars.count >= 3, let last = scalars.last, last == "-" || last == "\u{2010}" else { return nil }
        let beforeHyphen = scalars[scalars.index(scalars.endIndex, offsetBy: -2)]
        guard let next = second.text.unicodeScalars.first else { return nil }
        if beforeHyphen.properties.isAlphabetic && next.properties.isLowercase {
            return String(scalars.dropLast()) + second.text
        }
        if beforeHyphen.properties.isAlphabetic && next.properties.isUppercase {
            return String(scalars.dropLast()) + "-" + second.text
        }
        if beforeHyphen.properties.numericType != nil && next.properties.numericType != nil {
            return String(scalars.dropLast()) + "-" + second.text
        }
        return nil
    }
}
