import Foundation
import RedlineEngine
import RedlinePDF
import Testing

@Suite("Comparison engine")
struct EngineTests {
    @Test("identical documents: only matches")
    func identical() throws {
        let data = try TestDocuments.pdf(["The quick brown fox jumps over the lazy dog."])
        let details = try TestDocuments.compare(data, data)
        #expect(details.nonMatches.isEmpty)
        #expect(!details.summary.anyChanges && details.summary.anyMatches)
        #expect(details.changes.count == 1)
        #expect(details.changes[0].text == "The quick brown fox jumps over the lazy dog.")
        #expect(details.summary.changeSummary.matchingWords == 9)
    }

    @Test("insertion: kind, text, region and style map")
    func insertion() throws {
        let left = try TestDocuments.pdf(["COMPARING THIS FILE"])
        let right = try TestDocuments.pdf(["COMPARING THIS FILE WITH THIS FILE"])
        let details = try TestDocuments.compare(left, right)
        #expect(details.changes.map(\.kind) == [.match, .insert])
        let insert = details.changes[1]
        #expect(insert.rightText == "WITH THIS FILE")
        #expect(insert.leftText == nil && insert.leftRegion == nil && insert.deletionMark == nil)
        let region = try #require(insert.rightRegion)
        #expect(region.pageIndex == 0)
        #expect(region.rectangles.count == 1)
        let matchRegion = try #require(details.changes[0].rightRegion)
        #expect(region.rectangles[0].left > matchRegion.rectangles[0].right)
        #expect(abs(region.rectangles[0].top - matchRegion.rectangles[0].top) < 0.01)
        #expect(insert.stylesInfo.rightStyleMap == ["0-13"])
        #expect(insert.stylesInfo.leftStyleMap == nil)
        #expect(insert.stylesInfo.rightStyles == [WireStyle(color: "#000000", font: "DejaVuSans", emphasis: "", size: 11)])
        #expect(details.changes[0].stylesInfo.leftStyleMap == ["0-18"])
        #expect(details.summary.changeSummary.insertions == 1)
        #expect(details.summary.changeSummary.insertedRightWords == 3)
    }

    @Test("deletion carries a deletion mark on the right page")
    func deletion() throws {
        let left = try TestDocuments.pdf(["Alpha beta gamma delta epsilon"])
        let right = try TestDocuments.pdf(["Alpha beta delta epsilon"])
        let details = try TestDocuments.compare(left, right)
        #expect(details.changes.map(\.kind) == [.match, .delete, .match])
        let delete = details.changes[1]
        #expect(delete.leftText == "gamma" && delete.rightText == nil && delete.rightRegion == nil)
        let mark = try #require(delete.deletionMark)
        let before = try #require(details.changes[0].rightRegion?.rectangles.last)
        #expect(mark.pageIndex == 0)
        #expect(mark.point.count == 2 && abs(mark.point[0] - before.right) < 0.01)
        #expect(details.summary.changeSummary.deletedLeftWords == 1)
    }

    @Test("replaced word")
    func replacement() throws {
        let left = try TestDocuments.pdf(["The tenant shall pay the rent monthly."])
        let right = try TestDocuments.pdf(["The tenant must pay the rent monthly."])
        let details = try TestDocuments.compare(left, right)
        #expect(details.nonMatches.count == 1)
        let change = try #require(details.nonMatches.first)
        #expect(change.kind == .replace && change.leftText == "shall" && change.rightText == "must")
        #expect(change.leftRegion != nil && change.rightRegion != nil)
        #expect(details.summary.changeSummary.replacedLeftWords == 1 && details.summary.changeSummary.replacedRightWords == 1)
    }

    @Test("a changed amount is one replace of that token")
    func amount() throws {
        let left = try TestDocuments.pdf(["The fee is EUR 52.1; payable within 30 days."])
        let right = try TestDocuments.pdf(["The fee is EUR 52.2; payable within 30 days."])
        let details = try TestDocuments.compare(left, right)
        #expect(details.nonMatches.count == 1)
        #expect(details.nonMatches.first?.kind == .replace)
        #expect(details.nonMatches.first?.leftText == "52.1;")
        #expect(details.nonMatches.first?.rightText == "52.2;")
    }

    @Test("reflowed paragraph is no change")
    func reflow() throws {
        let text = TestDocuments.prose(words: 400, seed: 7)
        let left = try TestDocuments.pdf([text], marginRight: 72)
        let right = try TestDocuments.pdf([text], marginRight: 200)
        let details = try TestDocuments.compare(left, right)
        #expect(details.nonMatches.isEmpty)
        // Match segments get one rectangle per line.
        let rightLines = details.changes.compactMap(\.rightRegion).map(\.rectangles.count).reduce(0, +)
        let leftLines = details.changes.compactMap(\.leftRegion).map(\.rectangles.count).reduce(0, +)
        #expect(rightLines > leftLines)
    }

    @Test("end-of-line hyphenation is joined")
    func hyphenation() throws {
        let style = TestDocuments.body
        let left = try StyledPDFWriter.pdf(pages: [StyledPage(runs: [
            StyledRun(text: "The contrac-", x: 72, baseline: 100, style: style),
            StyledRun(text: "tor agrees.", x: 72, baseline: 115, style: style),
        ])])
        let right = try TestDocuments.pdf(["The contractor agrees."])
        let details = try TestDocuments.compare(left, right)
        #expect(details.nonMatches.isEmpty)

        let compound = try StyledPDFWriter.pdf(pages: [StyledPage(runs: [
            StyledRun(text: "A Non-", x: 72, baseline: 100, style: style),
            StyledRun(text: "Disclosure well-", x: 72, baseline: 115, style: style),
            StyledRun(text: "known 2021-", x: 72, baseline: 130, style: style),
            StyledRun(text: "2022 deal.", x: 72, baseline: 145, style: style),
        ])])
        let unbroken = try TestDocuments.pdf(["A Non-Disclosure well-known 2021-2022 deal."])
        #expect(try TestDocuments.compare(compound, unbroken).nonMatches.isEmpty)
    }

    @Test("bold toggle gives a style change")
    func boldToggle() throws {
        var bold = TestDocuments.body
        bold.bold = true
        let left = try TestDocuments.pdf(spans: [[StyledSpan("The deposit is not refundable under any circumstances.", style: TestDocuments.body)]])
        let right = try TestDocuments.pdf(spans: [[
            StyledSpan("The deposit is", style: TestDocuments.body),
            StyledSpan(" not refundable ", style: bold),
            StyledSpan("under any circumstances.", style: TestDocuments.body),
        ]])
        let details = try TestDocuments.compare(left, right)
        #expect(details.nonMatches.count == 1)
        let change = try #require(details.nonMatches.first)
        #expect(change.kind == .style)
        #expect(change.leftText == "not refundable" && change.rightText == "not refundable")
        #expect(change.stylesInfo.leftStyles.first?.emphasis == "")
        #expect(change.stylesInfo.rightStyles.first?.emphasis == "bold")
        #expect(details.summary.changeSummary.styleChanges == 1)
    }

    @Test("a document set in another font throughout is not a style change per word")
    func fontSwap() throws {
        let text = TestDocuments.prose(words: 200, seed: 11)
        let left = try TestDocuments.pdf(spans: [[StyledSpan(text, style: PDFTextStyle(font: "DejaVu Sans", size: 11))]])
        let right = try TestDocuments.pdf(spans: [[StyledSpan(text, style: PDFTextStyle(font: "Liberation Sans", size: 11))]])
        let details = try TestDocuments.compare(left, right)
        #expect(details.nonMatches.isEmpty)
        var bold = PDFTextStyle(font: "Liberation Sans", size: 11)
        bold.bold = true
        let words = text.split(separator: " ")
        let mixed = try TestDocuments.pdf(spans: [[
            StyledSpan(words.prefix(100).joined(separator: " ") + " ", style: PDFTextStyle(font: "Liberation Sans", size: 11)),
            StyledSpan(words[100..<103].joined(separator: " ") + " ", style: bold),
            StyledSpan(words.dropFirst(103).joined(separator: " "), style: PDFTextStyle(font: "Liberation Sans", size: 11)),
        ]])
        let boldOnly = try TestDocuments.compare(left, mixed)
        #expect(boldOnly.nonMatches.map(\.kind) == [.style])
        #expect(boldOnly.nonMatches.first?.stylesInfo.rightStyles.first?.emphasis == "bold")
    }

    @Test("moved paragraph is reported as a move")
    func move() throws {
        let a = "Alpha paragraph talks about the payment schedule and the bank account used for transfers."
        let b = "Bravo paragraph covers insurance obligations of both parties during the lease."
        let c = "Charlie paragraph explains the termination procedure and required notice periods."
        let d = "Delta paragraph lists governing law and the competent courts for disputes."
        let left = try TestDocuments.pdf([a, b, c, d])
        let right = try TestDocuments.pdf([b, c, a, d])
        let details = try TestDocuments.compare(left, right)
        #expect(details.nonMatches.count == 1)
        let move = try #require(details.nonMatches.first)
        #expect(move.kind == .move)
        #expect(move.leftText == a && move.rightText == a)
        let leftRegion = try #require(move.leftRegion)
        let rightRegion = try #require(move.rightRegion)
        #expect(leftRegion.rectangles[0].top < rightRegion.rectangles[0].top)
        #expect(move.deletionMark != nil)
        #expect(details.summary.changeSummary.moves == 1)
        #expect(details.summary.changeSummary.deletions == 0 && details.summary.changeSummary.insertions == 0)
    }

    @Test("moved paragraph with a small edit: a move with the edit inside still reported; moves can be turned off")
    func editedMove() throws {
        let a = "Alpha paragraph talks about the payment schedule and the bank account used for all transfers."
        let edited = "Alpha paragraph talks about the payment schedule and the bank account used for most transfers."
        let b = "Bravo paragraph covers insurance obligations of both parties during the lease."
        let c = "Charlie paragraph explains the termination procedure and required notice periods."
        let left = try TestDocuments.pdf([a, b, c])
        let right = try TestDocuments.pdf([b, c, edited])
        let details = try TestDocuments.compare(left, right)
        // Moved and edited: the unchanged stretches are the move, the edit inside is still reported.
        #expect(details.nonMatches.map(\.kind) == [.move, .replace, .move])
        let edit = details.nonMatches[1]
        #expect(edit.leftText == "all" && edit.rightText == "most")
        #expect(edit.leftRegion?.pageIndex == 0 && edit.rightRegion?.pageIndex == 0)
        let movedText = details.nonMatches.filter { $0.kind == .move }.compactMap(\.rightText).joined(separator: " ")
        #expect(movedText == "Alpha paragraph talks about the payment schedule and the bank account used for transfers.")
        var options = ComparisonOptions()
        options.detectMoves = false
        let plain = try TestDocuments.compare(left, right, options: options)
        #expect(plain.nonMatches.map(\.kind) == [.delete, .insert])
    }

    @Test("moved paragraph followed by a new one: move plus insert")
    func moveWithNeighbour() throws {
        let a = "Alpha paragraph talks about the payment schedule and the bank account used for all transfers."
        let b = "Bravo paragraph covers insurance obligations of both parties during the lease."
        let c = "Charlie paragraph explains the termination procedure and required notice periods."
        let d = "Delta paragraph lists governing law and the competent courts for disputes."
        let e = "Echo is a brand new paragraph with entirely fresh wording that did not exist before in any form at all."
        let details = try TestDocuments.compare(try TestDocuments.pdf([a, b, c, d]), try TestDocuments.pdf([b, c, a, e, d]))
        #expect(details.nonMatches.map(\.kind) == [.move, .insert])
        #expect(details.nonMatches.first?.rightText == a)
        #expect(details.nonMatches.last?.rightText == e)
    }

    @Test("repeated footer with page numbers is not reported per page")
    func footers() throws {
        let paragraphs = (0..<12).map { TestDocuments.prose(words: 120, seed: UInt64($0)) }
        var changed = paragraphs
        changed[5] = changed[5].replacingOccurrences(of: "the", with: "THE", options: [], range: changed[5].range(of: "the"))
        let left = try TestDocuments.pdf(paragraphs, footer: "Confidential - Page {page} of {pages}", header: "Lease Agreement 2024")
        let right = try TestDocuments.pdf(changed, footer: "Confidential - Page {page} of {pages}", header: "Lease Agreement 2024")
        #expect(try PDFDocument(data: left).pageCount >= 3)
        let details = try TestDocuments.compare(left, right)
        #expect(details.nonMatches.count == 1)
        #expect(details.nonMatches.first?.rightText == "THE")

        let draft = try TestDocuments.pdf(changed, footer: "Draft - Page {page} of {pages}", header: "Lease Agreement 2024")
        let footerChange = try TestDocuments.compare(right, draft)
        #expect(footerChange.nonMatches.count == 1)
        #expect(footerChange.nonMatches.first?.leftText == "Confidential")
        #expect(footerChange.nonMatches.first?.rightText == "Draft")
    }

    @Test("running heads that change per chapter are page furniture too")
    func chapterHeads() throws {
        func document(_ paragraphs: [String]) throws -> Data {
            var pages = FlowLayout().pages(for: paragraphs.map { [StyledSpan($0)] })
            let style = PDFTextStyle(font: "DejaVu Sans", size: 9)
            for index in pages.indices {
                let chapter = index < 2 ? 1 : 2  // every chapter spans at least two pages
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
        let left = try document(paragraphs)
        let right = try document(edited)
        #expect(try PDFDocument(data: left).pageCount >= 5)
        let details = try TestDocuments.compare(left, right)
        #expect(details.nonMatches.map(\.kind) == [.insert])
    }

    @Test("segments never cross pages")
    func pageSplit() throws {
        let paragraphs = (0..<10).map { TestDocuments.prose(words: 150, seed: UInt64($0 + 100)) }
        let left = try TestDocuments.pdf(paragraphs)
        let details = try TestDocuments.compare(left, left)
        let pages = try PDFDocument(data: left).pageCount
        #expect(pages >= 2)
        #expect(details.changes.count == pages)
        for (index, change) in details.changes.enumerated() {
            #expect(change.leftRegion?.pageIndex == index && change.rightRegion?.pageIndex == index)
        }
    }

    @Test("summary counts")
    func summary() throws {
        let left = try TestDocuments.pdf(["one two three four five six seven eight nine ten"])
        let right = try TestDocuments.pdf(["one two THREE four five seven eight nine ten eleven twelve"])
        let details = try TestDocuments.compare(left, right)
        let counts = details.summary.changeSummary
        #expect(counts.replacements == 1 && counts.replacedLeftWords == 1 && counts.replacedRightWords == 1)
        #expect(counts.deletions == 1 && counts.deletedLeftWords == 1)
        #expect(counts.insertions == 1 && counts.insertedRightWords == 2)
        #expect(counts.matchingWords == 8)
        #expect(counts.matches == 3)
        #expect(details.summary.leftDocumentSummary == DocumentSummary(pageCount: 1, characterCount: 39, wordCount: 10))
        #expect(details.summary.rightDocumentSummary.wordCount == 11)
    }

    @Test("bad input throws PDFError with a human message")
    func badInput() throws {
        let good = try TestDocuments.pdf(["Fine"])
        do {
            _ = try ComparisonEngine().compare(left: Data("garbage".utf8), right: good)
            Issue.record("expected an error")
        } catch let error as PDFError {
            #expect(error.description.hasPrefix("The file is not a valid PDF"))
        }
        #expect(throws: PDFError.self) { try ComparisonEngine().compare(left: good, right: Data()) }
    }

    @Test("timings are reported")
    func timings() throws {
        let data = try TestDocuments.pdf(["Timing"])
        let result = try ComparisonEngine().compare(left: data, right: data)
        #expect(result.timings["extract"] != nil && result.timings["align"] != nil && result.timings["total"] != nil)
        #expect(result.leftPageCount == 1 && result.rightPageCount == 1)
    }
}
