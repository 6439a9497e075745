import Foundation
import RedlineEngine
import RedlinePDF
import Testing

@testable import RedlineExport

/// The exporter fed with the engine's real change details (the wire JSON it serves).
@Suite("Exports from engine output")
struct EngineIntegrationTests {
    static func documents() throws -> (left: Data, right: Data) {
        let layout = FlowLayout()
        let left = [
            "The supplier shall deliver the goods within thirty days of the order.",
            "Payment is due upon receipt of a valid invoice.",
            "This clause about late fees will disappear from the new version.",
            "Either party may terminate this agreement with written notice.",
        ]
        let right = [
            "The supplier shall deliver the goods within fourteen days of the order.",
            "Payment is due upon receipt of a valid invoice by the customer.",
            "Either party may terminate this agreement with written notice.",
        ]
        func pdf(_ paragraphs: [String]) throws -> Data {
            try StyledPDFWriter.pdf(pages: layout.pages(for: paragraphs.map { [StyledSpan($0)] }))
        }
        return (try pdf(left), try pdf(right))
    }

    @Test("every kind renders from engine output; annotation counts follow the change kinds", arguments: ExportKind.allCases)
    func exportEngineOutput(kind: ExportKind) throws {
        let (left, right) = try Self.documents()
        let comparison = try ComparisonEngine().compare(left: left, right: right)
        let json = try comparison.changeDetails.jsonData()
        let details = try ExportChanges.decode(json)
        func count(_ kinds: Set<ExportChangeKind>) -> Int { details.changes.filter { kinds.contains($0.kind) }.count }
        #expect(count([.insert, .delete, .replace]) > 0, "the engine found the edits")

        let result = try ExportRenderer.render(
            ExportRequest(kind: kind, leftPDF: left, rightPDF: right, changeDetailsJSON: json, includeCoverPage: true))
        if kind == .redlineDocx {
            let xml = String(decoding: try #require(try storedZipEntries(result.data)["word/document.xml"]), as: UTF8.self)
            #expect(xml.contains("<w:ins "))
            #expect(xml.contains("<w:del "))
            return
        }
        let dir = try TempDir()
        try expectValidPDF(result.data, in: dir)
        let inspection = try PDFInspection(result.data, in: dir)
        let changed: Set<ExportChangeKind> = [.replace, .style, .move]
        let leftCount = count(changed.union([.delete]))
        let rightCount = count(changed.union([.insert]))
        switch kind {
        case .left: #expect(inspection.count("Highlight") == leftCount)
        case .right: #expect(inspection.count("Highlight") == rightCount)
        case .singlePage:
            #expect(inspection.count("Highlight") == rightCount)
            #expect(inspection.count("Caret") == details.changes.filter { $0.kind == .delete && $0.deletionMark != nil }.count)
        case .combined:
            #expect(inspection.count("Highlight") == leftCount + rightCount)
            #expect(inspection.pageCount == max(comparison.leftPageCount, comparison.rightPageCount) + 1)
        case .redlineDocx: break
        }
        #expect(result.annotationCount == inspection.annotations.count)
    }
}
