import Foundation
import Testing
@testable import RedlinePDF

@Suite("PDF reading")
struct ExtractionTests {
    @Test("word boxes are in top-left points and plausible")
    func wordBoxes() throws {
        let data = try TestDocuments.pdf(["Hello brave new world", "Second paragraph here"])
        let document = try PDFDocument(data: data)
        #expect(document.pageCount == 1)
        let size = document.pageSize(at: 0)
        #expect(abs(size.width - 595.28) < 0.1 && abs(size.height - 841.89) < 0.1)
        let words = document.words(page: 0)
        #expect(words.map(\.text) == ["Hello", "brave", "new", "world", "Second", "paragraph", "here"])
        let first = try #require(words.first)
        #expect(abs(first.box.left - 72) < 1)
        #expect(first.box.top > 65 && first.box.top < 80)
        #expect(first.box.bottom > first.box.top && first.box.height < 20)
        #expect(words[1].box.left > first.box.right)
        #expect(words[4].box.top > first.box.bottom - 1, "second paragraph is lower: y grows down")
        #expect(words[0].lineID == words[3].lineID)
        #expect(words[3].lineID != words[4].lineID)
        #expect(first.style.font == "DejaVuSans")
        #expect(abs(first.style.size - 11) < 0.01)
        #expect(first.style.color == "#000000")
        #expect(!first.style.bold && !first.style.italic)
    }

    @Test("bold, italic and colour come through")
    func styles() throws {
        let bold = PDFTextStyle(font: "DejaVu Sans", size: 14, bold: true, color: "#cc0000")
        let italic = PDFTextStyle(font: "DejaVu Serif", size: 9, italic: true, color: "#0000ff")
        let page = StyledPage(runs: [
            StyledRun(text: "Heavy", x: 100, baseline: 100, style: bold),
            StyledRun(text: "Slanted", x: 100, baseline: 200, style: italic),
        ])
        let document = try PDFDocument(data: try StyledPDFWriter.pdf(pages: [page]))
        let words = document.words(page: 0)
        #expect(words.count == 2)
        #expect(words[0].style.bold && !words[0].style.italic)
        #expect(words[0].style.color == "#cc0000")
        #expect(abs(words[0].style.size - 14) < 0.01)
        #expect(words[1].style.italic && !words[1].style.bold)
        #expect(words[1].style.font == "DejaVuSerif")
        #expect(words[1].style.color == "#0000ff")
        #expect(abs(words[0].box.bottom - 100) < 6, "baseline near the box bottom")
    }

    @Test("glyphs glued across a big gap are split into separate words and fragments")
    func gluedCells() throws {
        let style = PDFTextStyle(font: "DejaVu Sans", size: 10)
        let page = StyledPage(runs: [
            StyledRun(text: "Total", x: 72, baseline: 100, style: style),
            StyledRun(text: "42.00", x: 300, baseline: 100, style: style),
        ])
        let words = try PDFDocument(data: try StyledPDFWriter.pdf(pages: [page])).words(page: 0)
        #expect(words.map(\.text) == ["Total", "42.00"])
        if words.count == 2 { #expect(words[0].lineID != words[1].lineID) }
    }

    @Test("garbage, truncated and empty input throw PDFError")
    func badInput() throws {
        #expect(throws: PDFError.self) { try PDFDocument(data: Data()) }
        #expect(throws: PDFError.self) { try PDFDocument(data: Data("hello, I am not a PDF".utf8)) }
        var random = SystemRandomNumberGenerator()
        let noise = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) })
        #expect(throws: PDFError.self) { try PDFDocument(data: noise) }
        let valid = try TestDocuments.pdf(["Some text to truncate"])
        for length in [8, 100, valid.count / 2] {
            // Truncated files either fail cleanly or open (poppler can reconstruct); they never crash.
            if let document = try? PDFDocument(data: valid.prefix(length)) {
                _ = document.words(page: 0)
            }
        }
        do {
            _ = try PDFDocument(data: Data("%PDF-1.7\nnot really".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("The file is not a valid PDF") || error == .noPages)
        }
    }

    @Test("render PNG of a page")
    func render() throws {
        let document = try PDFDocument(data: try TestDocuments.pdf(["Render me"]))
        let png = try document.renderPNG(page: 0, scale: 0.5)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(throws: PDFError.self) { try document.renderPNG(page: 3, scale: 1) }
        #expect(throws: PDFError.self) { try document.renderPNG(page: 0, scale: 0) }
    }

    @Test("TXT becomes a paginated PDF")
    func textWriter() throws {
        let long = (1...120).map { "Line \($0) of a plain text file with Кириллица and Ελληνικά." }.joined(separator: "\n")
        let data = try TextPDFWriter.pdf(fromText: long, title: "Plain")
        let document = try PDFDocument(data: data)
        #expect(document.pageCount >= 2)
        let words = document.allWords().flatMap { $0 }
        #expect(words.first?.text == "Line")
        #expect(words.contains { $0.text == "Кириллица" })
        #expect(words.contains { $0.text == "Ελληνικά." })
        #expect(words.filter { $0.text == "Line" }.count == 120)
        let empty = try PDFDocument(data: try TextPDFWriter.pdf(fromText: ""))
        #expect(empty.pageCount == 1)
        let formFeed = try PDFDocument(data: try TextPDFWriter.pdf(fromText: "Page one\u{0C}Page two\r\nline two"))
        #expect(formFeed.pageCount == 2)
        #expect(formFeed.words(page: 1).map(\.text) == ["Page", "two", "line", "two"])
    }

    @Test("long lines wrap within the page width")
    func wrapping() throws {
        let data = try TextPDFWriter.pdf(fromText: TestDocuments.prose(words: 300, seed: 1))
        let document = try PDFDocument(data: data)
        let words = document.words(page: 0)
        #expect(Set(words.map(\.lineID)).count > 10)
        #expect(words.allSatisfy { $0.box.right <= document.pageSize(at: 0).width - 70 })
    }
}

@Suite("Word building")
struct WordBuilderTests {
    private func characters(_ text: String, size: Double = 10) -> RawPage {
        var x = 0.0
        let characters = text.unicodeScalars.map { scalar -> RawCharacter in
            defer { x += size * 0.6 }
            return RawCharacter(scalar: scalar, rect: PDFRect(left: x, top: 0, right: x + size * 0.6, bottom: size), styleIndex: 1)
        }
        return RawPage(characters: characters, styles: [.unknown, PDFTextStyle(font: "F", size: size)])
    }

    @Test("CJK characters become single-character words")
    func cjk() {
        let words = WordBuilder.words(from: characters("合同第5条 and 東京タワー"), pageIndex: 0)
        #expect(words.map(\.text) == ["合", "同", "第", "5", "条", "and", "東", "京", "タ", "ワ", "ー"])
    }

    @Test("right-to-left words laid out leftwards stay whole")
    func rightToLeft() {
        // "שלום עולם": glyphs advance from right to left.
        var x = 300.0
        var characters: [RawCharacter] = []
        for scalar in "שלום עולם".unicodeScalars {
            let width = scalar == " " ? 3.0 : 6.0
            characters.append(RawCharacter(scalar: scalar, rect: PDFRect(left: x - width, top: 0, right: x, bottom: 10), styleIndex: 1))
            x -= width
        }
        let page = RawPage(characters: characters, styles: [.unknown, PDFTextStyle(font: "F", size: 10)])
        let words = WordBuilder.words(from: page, pageIndex: 0)
        #expect(words.map(\.text) == ["שלום", "עולם"])
        #expect(words.count == 2 && words[0].lineID == words[1].lineID)
    }

    @Test("ligatures expanded, soft hyphens removed, NFC")
    func normalisation() {
        let words = WordBuilder.words(from: characters("\u{FB01}nal co\u{00AD}operate cafe\u{0301}"), pageIndex: 0)
        #expect(words.map(\.text) == ["final", "cooperate", "caf\u{00E9}"])
        let lineEnd = WordBuilder.words(from: characters("contrac\u{00AD}\ntor"), pageIndex: 0)
        #expect(lineEnd.map(\.text) == ["contrac-", "tor"])
    }

    @Test("font names give family, bold and italic")
    func fontNames() {
        #expect(FontNameParser.parse("ABCDEF+Arial-BoldItalicMT") == ParsedFontName(family: "Arial", bold: true, italic: true))
        #expect(FontNameParser.parse("ArialMT") == ParsedFontName(family: "Arial", bold: false, italic: false))
        #expect(FontNameParser.parse("TimesNewRomanPS-BoldMT") == ParsedFontName(family: "TimesNewRomanPS", bold: true, italic: false))
        #expect(FontNameParser.parse("Times New Roman,Italic") == ParsedFontName(family: "Times New Roman", bold: false, italic: true))
        #expect(FontNameParser.parse("QWERTY+Calibri-Semibold").family == "Calibri")
        #expect(FontNameParser.parse("DejaVuSans-Oblique").italic)
        #expect(FontNameParser.parse("NimbusRomNo9L-ReguItal") == ParsedFontName(family: "NimbusRomNo9L", bold: false, italic: true))
        #expect(FontNameParser.parse("ABCDEF+CMBX12") == ParsedFontName(family: "CMBX12", bold: true, italic: false))
        #expect(!FontNameParser.parse("DigitalSans").italic)
        #expect(FontNameParser.parse("CMTI10").italic && !FontNameParser.parse("CMTT10").italic && !FontNameParser.parse("CMR10").bold)
    }
}

@Suite("Text writer limits")
struct TextWriterLimitTests {
    @Test("a very long unbroken line wraps quickly")
    func longToken() throws {
        let clock = ContinuousClock()
        var data = Data()
        let elapsed = try clock.measure {
            data = try TextPDFWriter.pdf(fromText: String(repeating: "x", count: 50_000))
        }
        #expect(elapsed < .seconds(20))
        let document = try PDFDocument(data: data)
        #expect(document.pageCount > 1)
        #expect(document.words(page: 0).allSatisfy { $0.box.right <= document.pageSize(at: 0).width - 71 })
    }
}
