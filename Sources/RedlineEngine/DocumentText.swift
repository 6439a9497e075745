import Foundation
import RedlinePDF

/// The words of a whole document with its page sizes: what the engine compares.
/// Separate from `PDFDocument` so comparisons can run on words from any source (and in tests).
public struct DocumentText: Sendable, Equatable {
    public var pageSizes: [PDFPageSize]
    /// All words, page after page, in reading order.
    public var words: [PDFWord]

    public init(pageSizes: [PDFPageSize], words: [PDFWord]) {
        self.pageSizes = pageSizes
        self.words = words
    }

    public var pageCount: Int { pageSizes.count }

    /// Opens PDF bytes and extracts every page's words.
    public init(pdf data: Data) throws(PDFError) {
        self.init(document: try PDFDocument(data: data))
    }

    /// Extracts every page's words of an opened document.
    public init(document: PDFDocument) {
        var sizes: [PDFPageSize] = []
        var words: [PDFWord] = []
        sizes.reserveCapacity(document.pageCount)
        for page in 0..<document.pageCount {
            sizes.append(document.pageSize(at: page))
            words.append(contentsOf: document.words(page: page))
        }
        self.init(pageSizes: sizes, words: words)
    }

    /// Summary of size for the wire.
    var summary: DocumentSummary {
        DocumentSummary(
            pageCount: pageCount,
            characterCount: words.reduce(0) { $0 + $1.text.count },
            wordCount: words.count
        )
    }

    func pageSize(_ index: Int) -> PDFPageSize {
        index >= 0 && index < pageSizes.count ? pageSizes[index] : .a4
    }
}
