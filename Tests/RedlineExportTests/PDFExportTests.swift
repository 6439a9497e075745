import Foundation
import RedlinePDF
import Testing

@testable import RedlineExport

/// Writes an export to $REDLINE_EXPORT_DUMP (when set) so a person can look at it.
func dump(_ data: Data, _ name: String) {
    guard let directory = ProcessInfo.processInfo.environment["REDLINE_EXPORT_DUMP"] else { return }
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try? data.write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
}

@Suite("PDF exports")
struct PDFExportTests {
    @Test("left: deletions, replacements, moves and style changes highlighted where the words are")
    func leftExport() throws {
        let fixture = try Fixture()
        let result = try ExportRenderer.render(try fixture.request(.left))
        dump(result.data, "left.pdf")
        #expect(result.contentType == "application/pdf")
        #expect(result.fileExtension == "pdf")
        let dir = try TempDir()
        try expectValidPDF(result.data, in: dir)
        let inspection = try PDFInspection(result.data, in: dir)
        #expect(inspection.pageCount == 1)
        // delete + replace + move + style on the left.
        #expect(inspection.count("Highlight") == 4)
        #expect(inspection.count("Caret") == 0)
        #expect(result.annotationCount == 4)
        let allHaveAppearance = inspection.annotations.allSatisfy { $0.hasAppearance }
        #expect(allHaveAppearance)
        let deletion = try #require(inspection.annotations.first { $0.contents == "This sentence will be removed entirely." })
        let words = try Fixture.find("This sentence will be removed entirely.", in: fixture.leftWords)
        let expected = words.dropFirst().reduce(words[0].box) { $0.union($1.box) }
        expectClose(topLeftRect(deletion.rect, pageBox: inspection.pageBoxes[0]), expected)
        let replacement = try #require(inspection.annotations.first { $0.contents == "brown → red" })
        expectClose(topLeftRect(replacement.rect, pageBox: inspection.pageBoxes[0]), try Fixture.find("brown", in: fixture.leftWords)[0].box)
    }

    @Test("right: insertions highlighted on the word, existing text untouched")
    func rightExport() throws {
        let fixture = try Fixture()
        let result = try ExportRenderer.render(try fixture.request(.right))
        dump(result.data, "right.pdf")
        let dir = try TempDir()
        try expectValidPDF(result.data, in: dir)
        let inspection = try PDFInspection(result.data, in: dir)
        // insert + replace + move + style on the right.
        #expect(inspection.count("Highlight") == 4)
        #expect(result.annotationCount == 4)
        let insertion = try #require(inspection.annotations.first { $0.contents == "happily" })
        expectClose(topLeftRect(insertion.rect, pageBox: inspection.pageBoxes[0]), try Fixture.find("happily", in: fixture.rightWords)[0].box)
        let style = try #require(inspection.annotations.first { $0.contents.hasPrefix("closing") })
        #expect(style.contents.contains("bold"))
        // The words are still there, as text.
        let text = try Tool.run("pdftotext", [try dir.write(result.data, "r.pdf").path, "-"], in: dir.url).text
        #expect(text.contains("happily jumps over the lazy dog."))
    }

    @Test("single_page: right highlights plus a caret marker carrying the deleted text")
    func singlePageExport() throws {
        let fixture = try Fixture()
        let result = try ExportRenderer.render(try fixture.request(.singlePage))
        dump(result.data, "single_page.pdf")
        let dir = try TempDir()
        try expectValidPDF(result.data, in: dir)
        let inspection = try PDFInspection(result.data, in: dir)
        #expect(inspection.count("Highlight") == 4)
        #expect(inspection.count("Caret") == 1)
        #expect(result.annotationCount == 5)
        let caret = try #require(inspection.annotations.first { $0.subtype == "Caret" })
        #expect(caret.contents == "This sentence will be removed entirely.")
        // The marker straddles the deletion point (the start of "Shared").
        let shared = try Fixture.find("Shared", in: fixture.rightWords)[0]
        let marker = topLeftRect(caret.rect, pageBox: inspection.pageBoxes[0])
        #expect(marker.contains(x: shared.box.left, y: shared.box.top))
        #expect(marker.width < 12)
    }

    @Test("combined: pages side by side, text selectable, highlights on both halves")
    func combinedExport() throws {
        let fixture = try Fixture(pages: 2)
        let result = try ExportRenderer.render(try fixture.request(.combined))
        dump(result.data, "combined.pdf")
        let dir = try TempDir()
        try expectValidPDF(result.data, in: dir)
        let inspection = try PDFInspection(result.data, in: dir)
        #expect(inspection.pageCount == 2)
        #expect(inspection.count("Highlight") == 8)
        #expect(result.annotationCount == 8)
        let box = inspection.pageBoxes[0]
        #expect(box[2] - box[0] > box[3] - box[1], "landscape")
        // Left-side highlights sit on the left half, right-side ones on the right half.
        let middle = (box[0] + box[2]) / 2
        let deletion = try #require(inspection.annotations.first { $0.contents == "This sentence will be removed entirely." })
        #expect(deletion.rect[2] < middle)
        let insertion = try #require(inspection.annotations.first { $0.contents == "happily" })
        #expect(insertion.rect[0] > middle)
        // Text stayed text: both documents' words extract.
        let text = try Tool.run("pdftotext", [try dir.write(result.data, "c.pdf").path, "-"], in: dir.url).text
        #expect(text.contains("removed entirely"))
        #expect(text.contains("happily"))
        #expect(text.contains("contract-v1.pdf"))
    }

    @Test("combined with cover page: one extra page with names and counts; unequal page counts")
    func combinedWithCover() throws {
        var fixture = try Fixture()
        let longer = try Fixture(pages: 3)
        fixture = Fixture(copying: fixture, right: longer.right)
        let result = try ExportRenderer.render(try fixture.request(.combined, cover: true))
        dump(result.data, "combined_cover.pdf")
        let dir = try TempDir()
        try expectValidPDF(result.data, in: dir)
        let inspection = try PDFInspection(result.data, in: dir)
        #expect(inspection.pageCount == 3 + 1)
        let onFirstPair = inspection.annotations.allSatisfy { $0.page == 1 }
        #expect(onFirstPair, "highlights belong to the first pair, after the cover")
        let text = try Tool.run("pdftotext", [try dir.write(result.data, "c.pdf").path, "-"], in: dir.url).text
        #expect(text.contains("Comparison report"))
        #expect(text.contains("contract-v2.pdf"))
        #expect(text.contains("Insertions"))
    }

    @Test("existing annotations are kept when more are added")
    func keepsExistingAnnotations() throws {
        let fixture = try Fixture()
        let once = try ExportRenderer.render(try fixture.request(.right))
        var request = try fixture.request(.right)
        request.rightPDF = once.data
        let twice = try ExportRenderer.render(request)
        let dir = try TempDir()
        try expectValidPDF(twice.data, in: dir)
        #expect(try PDFInspection(twice.data, in: dir).count("Highlight") == 8)
    }

    @Test("rotated pages: annotations land on the word as displayed", arguments: [90, 180, 270])
    func rotatedPage(degrees: Int) throws {
        let fixture = try Fixture()
        let dir = try TempDir()
        let source = try dir.write(fixture.right, "src.pdf")
        let rotated = dir.url.appendingPathComponent("rotated.pdf")
        let rotate = try Tool.run("qpdf", ["--rotate=+\(degrees)", source.path, rotated.path], in: dir.url)
        try #require(rotate.status == 0, "\(rotate.stderr)")
        let rotatedPDF = try Data(contentsOf: rotated)
        // The word's box as poppler displays the rotated page, from pdftotext's bounding boxes.
        let bbox = try Tool.run("pdftotext", ["-bbox", rotated.path, "-"], in: dir.url).text
        let line = try #require(bbox.split(separator: "\n").first { $0.contains(">happily<") })
        func attribute(_ name: String) throws -> Double {
            let start = try #require(line.range(of: "\(name)=\""))
            let rest = line[start.upperBound...]
            return try #require(Double(rest.prefix { $0 != "\"" }))
        }
        let word = PDFWord(
            text: "happily", pageIndex: 0,
            box: PDFRect(left: try attribute("xMin"), top: try attribute("yMin"), right: try attribute("xMax"), bottom: try attribute("yMax")),
            style: .unknown, lineID: 0)
        let json: [String: Any] = [
            "changes": [["kind": "insert", "leftText": NSNull(), "rightText": "happily", "leftRegion": NSNull(),
                         "rightRegion": Fixture.region([word]), "stylesInfo": NSNull(), "deletionMark": NSNull()]],
        ]
        let result = try ExportRenderer.render(
            ExportRequest(kind: .right, leftPDF: fixture.left, rightPDF: rotatedPDF,
                          changeDetailsJSON: try JSONSerialization.data(withJSONObject: json)))
        dump(result.data, "rotated-\(degrees).pdf")
        try expectValidPDF(result.data, in: dir)
        let inspection = try PDFInspection(result.data, in: dir)
        let annotation = try #require(inspection.annotations.first)
        let box = inspection.pageBoxes[0]
        let geometry = PageGeometry(llx: box[0], lly: box[1], urx: box[2], ury: box[3], rotation: degrees)
        let a = geometry.displayPoint(x: annotation.rect[0], y: annotation.rect[1])
        let b = geometry.displayPoint(x: annotation.rect[2], y: annotation.rect[3])
        let shown = Rect(left: min(a.x, b.x), top: min(a.y, b.y), right: max(a.x, b.x), bottom: max(a.y, b.y))
        expectClose(shown, word.box)
    }

    @Test("regions on pages that do not exist are skipped, not fatal")
    func outOfRangeRegions() throws {
        let fixture = try Fixture()
        let json: [String: Any] = [
            "changes": [["kind": "insert", "rightText": "ghost", "rightRegion": ["pageIndex": 7, "rectangles": [["left": 1, "top": 1, "right": 5, "bottom": 5]]]],
                        ["kind": "insert", "rightText": "flat", "rightRegion": ["pageIndex": 0, "rectangles": [["left": 1, "top": 1, "right": 1, "bottom": 5]]]]],
        ]
        let result = try ExportRenderer.render(
            ExportRequest(kind: .right, leftPDF: fixture.left, rightPDF: fixture.right,
                          changeDetailsJSON: try JSONSerialization.data(withJSONObject: json)))
        #expect(result.annotationCount == 0)
        let dir = try TempDir()
        try expectValidPDF(result.data, in: dir)
    }
}

extension Fixture {
    /// The same change list with another right document (for unequal page counts).
    init(copying other: Fixture, right: Data) {
        self = other
        self.right = right
    }
}

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("exports run in parallel without interfering")
    func parallelExports() async throws {
        let fixture = try Fixture()
        let requests = try [ExportKind.left, .right, .singlePage, .combined, .redlineDocx, .left].map { try fixture.request($0) }
        let counts = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask { (index, try ExportRenderer.render(request).annotationCount) }
            }
            var counts = Array(repeating: -1, count: requests.count)
            for try await (index, count) in group { counts[index] = count }
            return counts
        }
        #expect(counts == [4, 4, 5, 8, 6, 4])
    }
}
