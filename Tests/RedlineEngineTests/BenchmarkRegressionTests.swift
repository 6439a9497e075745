import Foundation
import RedlineEngine
import RedlinePDF
import Testing

/// Engine behaviours found by the comparison-engine benchmark (`redline bench`) on generated contracts.
@Suite("Benchmark regressions")
struct BenchmarkRegressionTests {
    /// A page of lines: a running header, `body` lines from the top margin down, and a footer.
    private static func page(_ index: Int, pages: Int, body: [String], words: inout [PDFWord]) {
        let style = PDFTextStyle(font: "DejaVu Sans", size: 11)
        var lineID = 0
        func line(_ text: String, top: Double) {
            var x = 72.0
            for word in text.split(separator: " ") {
                let width = Double(word.count) * 6
                words.append(
                    PDFWord(
                        text: String(word), pageIndex: index, box: PDFRect(left: x, top: top, right: x + width, bottom: top + 12),
                        style: style, lineID: lineID))
                x += width + 3
            }
            lineID += 1
        }
        line("Master Services Agreement", top: 27)
        for (offset, text) in body.enumerated() { line(text, top: 73 + 15 * Double(offset)) }
        line("Page \(index + 1) of \(pages)", top: 797)
    }

    private static func document(_ lines: [String], firstPageLines: Int, perPage: Int) -> DocumentText {
        var chunks = [Array(lines.prefix(firstPageLines))]
        var rest = Array(lines.dropFirst(firstPageLines))
        while !rest.isEmpty {
            chunks.append(Array(rest.prefix(perPage)))
            rest = Array(rest.dropFirst(perPage))
        }
        var words: [PDFWord] = []
        for (index, body) in chunks.enumerated() { page(index, pages: chunks.count, body: body, words: &words) }
        return DocumentText(pageSizes: Array(repeating: .a4, count: chunks.count), words: words)
    }

    @Test("a body line that starts a few pages is not a running header")
    func topBodyLineIsNotFurniture() {
        // Sixty distinct body lines; three of them are schedule headings that, on the left, start pages 2, 5
        // and 8 (just under the running header) and, with pagination shifted by a line, start no page on
        // the right. The documents are the same: nothing may be reported.
        var lines = (0..<60).map { TestDocuments.prose(words: 9, seed: UInt64(500 + $0)) }
        for (index, schedule) in [(6, 1), (24, 2), (42, 3)] { lines[index] = "Schedule \(schedule) – Fees and Milestones" }
        let left = Self.document(lines, firstPageLines: 6, perPage: 6)
        let right = Self.document(lines, firstPageLines: 5, perPage: 6)
        let details = ComparisonEngine().compare(left: left, right: right).changeDetails
        #expect(details.changes.filter { $0.kind != .match }.isEmpty)
        // The running header and footer are still recognised (the footer's page count differs: not a change).
        let shorter = Self.document(Array(lines.prefix(54)), firstPageLines: 6, perPage: 6)
        let deletion = ComparisonEngine().compare(left: left, right: shorter).changeDetails.changes.filter { $0.kind != .match }
        #expect(deletion.map(\.kind) == [.delete])
    }

    @Test("similar sentences with other amounts and dates are not a move")
    func templateSentencesAreNotMoved() throws {
        let deleted = "Payment of EUR 193,211.00 shall be made on or before 14 May 2025 to the bank account nominated in writing by the Supplier."
        let inserted = "Payment of EUR 92,468.00 shall be made on or before 11 June 2027 to the bank account nominated in writing by the Supplier."
        let filler = (0..<5).map { TestDocuments.prose(words: 40, seed: UInt64(100 + $0)) }
        let left = try TestDocuments.pdf([filler[0], deleted, filler[1], filler[2], filler[3], filler[4]])
        let right = try TestDocuments.pdf([filler[0], filler[1], filler[2], filler[3], inserted, filler[4]])
        let details = try TestDocuments.compare(left, right)
        // A move would hide the changed amount and date.
        #expect(details.nonMatches.map(\.kind) == [.delete, .insert])
        #expect(details.nonMatches.first?.leftText == deleted)
        #expect(details.nonMatches.last?.rightText == inserted)
    }
}
