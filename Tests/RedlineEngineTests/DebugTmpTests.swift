import Foundation
import Testing
@testable import RedlineEngine
import RedlinePDF

@Suite struct DebugTmp {
    @Test func debugAlign() throws {
        func document(_ paragraphs: [String]) throws -> Data {
            var pages = FlowLayout().pages(for: paragraphs.map { [StyledSpan($0)] })
            let style = PDFTextStyle(font: "DejaVu Sans", size: 9)
            for index in pages.indices {
                let chapter = index / 2 + 1
                let titles = ["Introduction", "Payment Terms", "Liability", "Termination", "Notices", "Governing Law", "Annexes"]
                let title = titles[min(chapter - 1, titles.count - 1)]
                pages[index].runs.append(StyledRun(text: "Chapter \(chapter): \(title)", x: 72, baseline: 36, style: style))
                pages[index].runs.append(StyledRun(text: "\(index + 1)", x: 500, baseline: 36, style: style))
            }
            return try StyledPDFWriter.pdf(pages: pages)
        }
        let paragraphs = (0..<14).map { TestDocuments.prose(words: 130, seed: UInt64($0 + 50)) }
        var edited = paragraphs
        edited.insert("A whole new paragraph appears early in the document and pushes every page break down.", at: 1)
        var interner = KeyInterner()
        let tk = Tokenizer(options: ComparisonOptions())
        let left = try DocumentText(pdf: try document(paragraphs))
        let right = try DocumentText(pdf: try document(edited))
        let ls = tk.tokenize(left, interner: &interner)
        let rs = tk.tokenize(right, interner: &interner)
        print("DEBUG body", ls.body.count, rs.body.count, "furn", ls.furniture.map(\.text), rs.furniture.map(\.text))
        let runs = TokenAligner(vocabularySize: interner.count).align(ls.body.map(\.key), rs.body.map(\.key))
        print("DEBUG matched", runs.reduce(0) { $0 + $1.length }, "runs", runs)
        let lw = left.words.filter { $0.text.hasPrefix("term74") }.map { ($0.pageIndex, $0.box.top) }
        print("DEBUG", lw)
    }
}
