import Foundation
import RedlinePDF
import Testing

@testable import RedlineExport

/// Reads a stored (uncompressed) ZIP as our writer makes it: name -> bytes, via the central directory.
func storedZipEntries(_ archive: Data) throws -> [String: Data] {
    let bytes = [UInt8](archive)
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    let end = try #require((0...(bytes.count - 22)).reversed().first { u32($0) == 0x0605_4B50 })
    var cursor = u32(end + 16)
    var entries: [String: Data] = [:]
    for _ in 0..<u16(end + 10) {
        try #require(u32(cursor) == 0x0201_4B50)
        let method = u16(cursor + 10)
        let crc = UInt32(u32(cursor + 16))
        let size = u32(cursor + 20)
        let nameLength = u16(cursor + 28)
        let extra = u16(cursor + 30)
        let comment = u16(cursor + 32)
        let local = u32(cursor + 42)
        let name = String(decoding: bytes[(cursor + 46)..<(cursor + 46 + nameLength)], as: UTF8.self)
        #expect(method == 0)
        let start = local + 30 + u16(local + 26) + u16(local + 28)
        let contents = Data(bytes[start..<(start + size)])
        #expect(CRC32.checksum(contents) == crc, "CRC of \(name)")
        entries[name] = contents
        cursor += 46 + nameLength + extra + comment
    }
    return entries
}

/// Text of each <w:p>, with inserted text in [+...] and deleted text in [-...].
func paragraphTexts(_ xml: String) -> [String] {
    var result: [String] = []
    for paragraph in xml.components(separatedBy: "<w:p>").dropFirst() {
        let body = paragraph.components(separatedBy: "</w:p>")[0]
        var text = ""
        var rest = Substring(body)
        while let open = rest.range(of: "<") {
            text += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: ">") else { break }
            let tag = rest[open.upperBound..<close.lowerBound]
            if tag.hasPrefix("w:ins ") && !tag.hasSuffix("/") { text += "[+" }
            if tag.hasPrefix("w:del ") && !tag.hasSuffix("/") { text += "[-" }
            if tag == "/w:ins" || tag == "/w:del" { text += "]" }
            rest = rest[close.upperBound...]
        }
        text += rest
        result.append(text)
    }
    return result
}

@Suite("Word redline")
struct DocxExportTests {
    @Test("redline_docx: tracked insertions and deletions in document order, paragraphs from the layout")
    func redlineDocx() throws {
        let fixture = try Fixture()
        var request = try fixture.request(.redlineDocx)
        request.rightOriginalDocx = Data([0x50, 0x4B, 0x03, 0x04, 0, 0])
        let result = try ExportRenderer.render(request)
        dump(result.data, "redline.docx")
        #expect(result.fileExtension == "docx")
        #expect(result.contentType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        let entries = try storedZipEntries(result.data)
        #expect(Set(entries.keys).isSuperset(of: ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"]))
        let xml = String(decoding: try #require(entries["word/document.xml"]), as: UTF8.self)
        let insertions = xml.components(separatedBy: "<w:ins ").dropFirst().filter { !$0.prefix(while: { $0 != ">" }).hasSuffix("/") }.count
        let deletions = xml.components(separatedBy: "<w:del ").dropFirst().filter { !$0.prefix(while: { $0 != ">" }).hasSuffix("/") }.count
        // Run-level revisions: move (ins at the new place + del at the old), replace (del + ins), insert, delete.
        #expect(insertions == 3)
        #expect(deletions == 3)
        #expect(result.annotationCount == 6)
        #expect(xml.contains("<w:delText xml:space=\"preserve\">"))
        #expect(xml.contains("<w:rPrChange "), "the style change is tracked formatting")
        #expect(paragraphTexts(xml) == [
            "[+Appendix text moves around.]",
            "Redline compares two documents word by word.",
            "The quick[- brown][+ red] fox[+ happily] jumps over the lazy dog.",
            "[-This sentence will be removed entirely.]",
            "Shared closing paragraph stays the same.",
            "[-Appendix text moves around.]",
        ])
        #expect(xml.contains("<w:t xml:space=\"preserve\">Shared </w:t>"), "the space before a restyled word is not restyled")
        // The wholly deleted paragraph has its paragraph mark deleted too.
        #expect(xml.contains("<w:pPr><w:rPr><w:del "))
        #expect(String(decoding: try #require(entries["word/settings.xml"]), as: UTF8.self).contains("<w:trackRevisions/>"))

        let dir = try TempDir()
        let file = try dir.write(result.data, "redline.docx")
        if Tool.exists("unzip") {
            #expect(try Tool.run("unzip", ["-t", file.path], in: dir.url).status == 0)
        }
        if Tool.exists("xmllint") {
            for (name, data) in entries where name.hasSuffix(".xml") || name.hasSuffix(".rels") {
                let part = try dir.write(data, "part-\(UUID().uuidString).xml")
                #expect(try Tool.run("xmllint", ["--noout", part.path], in: dir.url).status == 0, "\(name) is well-formed")
            }
        }
    }

    @Test("redline_docx opens in LibreOffice (skipped without soffice)", .enabled(if: Tool.exists("soffice")))
    func libreOfficeOpensIt() throws {
        let fixture = try Fixture()
        let result = try ExportRenderer.render(try fixture.request(.redlineDocx))
        let dir = try TempDir()
        let file = try dir.write(result.data, "redline.docx")
        let profile = dir.url.appendingPathComponent("lo-profile").absoluteString
        let convert = try Tool.run(
            "soffice", ["-env:UserInstallation=\(profile)", "--headless", "--convert-to", "pdf", "--outdir", dir.url.path, file.path],
            in: dir.url)
        #expect(convert.status == 0, "\(convert.stderr)")
        let pdf = dir.url.appendingPathComponent("redline.pdf")
        let text = try Tool.run("pdftotext", [pdf.path, "-"], in: dir.url).text
        #expect(text.contains("happily"))
        #expect(text.contains("Shared closing paragraph"))
    }

    @Test("style ranges use UTF-16 offsets; newlines in texts break paragraphs")
    func composerDetails() throws {
        let json = """
            {"changes":[
              {"kind":"match","text":"Grüße 😀 plain bold","leftText":null,"rightText":null,"leftRegion":null,"rightRegion":null,
               "stylesInfo":{"leftStyles":[],"rightStyles":[{"color":"#000000","font":"X","emphasis":"","size":11},{"color":"#cc0000","font":"X","emphasis":"bold","size":11}],
                 "leftStyleMap":null,"rightStyleMap":["0-14","15-18"]},"deletionMark":null},
              {"kind":"insert","leftText":null,"rightText":"first line\\nsecond <line> & more","leftRegion":null,"rightRegion":null,"stylesInfo":null,"deletionMark":null}
            ],"summary":null}
            """
        let details = try ExportChanges.decode(Data(json.utf8))
        var composer = RedlineComposer(leftWords: nil, rightWords: nil)
        composer.add(details.changes)
        let pieces = composer.paragraphs.map { $0.pieces }
        #expect(pieces.count == 2)
        #expect(pieces[0].first?.text == "Grüße 😀 plain")
        #expect(pieces[0][1].text == " bold")
        #expect(pieces[0][1].style == RunStyle(bold: true, size: 11, color: "#cc0000"))
        #expect(pieces[1].map(\.text).joined() == "second <line> & more")
        let document = DocxDocument(paragraphs: composer.paragraphs, date: Date(timeIntervalSince1970: 0), pageWidth: 612, pageHeight: 792)
        let xml = document.documentXML().xml
        #expect(xml.contains("second &lt;line&gt; &amp; more"))
        #expect(xml.contains("<w:b/><w:bCs/><w:color w:val=\"CC0000\"/><w:sz w:val=\"22\"/>"))
    }
}

@Suite("Export errors")
struct ExportErrorTests {
    func request(json: Data, left: Data? = nil, kind: ExportKind = .left) throws -> ExportRequest {
        let pdf = try TextPDFWriter.pdf(fromText: "Hello world")
        return ExportRequest(kind: kind, leftPDF: left ?? pdf, rightPDF: pdf, changeDetailsJSON: json)
    }

    @Test("malformed change details throw a readable ExportError", arguments: [
        "", "{", "not json", "[]", "{\"changes\": 3}", "{\"changes\":[{\"kind\":\"explode\"}]}",
        "{\"changes\":[{\"kind\":\"insert\",\"rightRegion\":{\"pageIndex\":\"zero\",\"rectangles\":[]}}]}",
    ])
    func malformedJSON(json: String) throws {
        let error = try #require(throws: ExportError.self) { try ExportRenderer.render(try request(json: Data(json.utf8))) }
        #expect(error.description.contains("change details"))
    }

    @Test("a corrupt PDF throws ExportError for every kind", arguments: ExportKind.allCases)
    func corruptPDF(kind: ExportKind) throws {
        let garbage = Data("%PDF-1.7\nthis is not really a pdf at all\n%%EOF".utf8)
        let json = Data("{\"changes\":[]}".utf8)
        if kind == .redlineDocx {
            // The Word redline is built from the change texts; unreadable PDFs only cost geometry.
            let result = try ExportRenderer.render(try request(json: json, left: garbage, kind: kind))
            #expect(result.fileExtension == "docx")
            return
        }
        var broken = try request(json: json, left: garbage, kind: kind)
        broken.rightPDF = garbage
        let error = try #require(throws: ExportError.self) { try ExportRenderer.render(broken) }
        #expect(error.description.contains("PDF"))
        let empty = try #require(throws: ExportError.self) {
            try ExportRenderer.render(ExportRequest(kind: kind, leftPDF: Data(), rightPDF: Data(), changeDetailsJSON: json))
        }
        #expect(!empty.description.isEmpty)
    }

    @Test("an original that is not a DOCX is refused")
    func notADocx() throws {
        var request = try request(json: Data("{\"changes\":[]}".utf8), kind: .redlineDocx)
        request.rightOriginalDocx = Data("hello".utf8)
        #expect(throws: ExportError.self) { try ExportRenderer.render(request) }
    }

    @Test("no changes: the PDF comes back valid with no annotations")
    func noChanges() throws {
        let result = try ExportRenderer.render(try request(json: Data("{\"changes\":[],\"summary\":null}".utf8), kind: .singlePage))
        #expect(result.annotationCount == 0)
        let dir = try TempDir()
        try expectValidPDF(result.data, in: dir)
    }
}
