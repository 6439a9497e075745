import Foundation
import RedlinePDF

/// `redline_docx`: a new Word document whose body is the comparison's text in order, with insertions
/// and deletions as tracked changes (w:ins / w:del by "Redline") and style changes as tracked formatting.
enum DocxExport {
    static func render(_ request: ExportRequest, details: ExportChanges) throws -> ExportResult {
        if let original = request.rightOriginalDocx, !original.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw ExportError("The right document's original file is not a DOCX (ZIP) file")
        }
        // Geometry-based paragraphs and texts missing from the wire need the PDFs' words; a PDF that does not
        // open only costs those refinements.
        let leftWords = WordSource(pdf: request.leftPDF)
        let rightWords = WordSource(pdf: request.rightPDF)
        var composer = RedlineComposer(leftWords: leftWords, rightWords: rightWords)
        composer.add(details.changes)
        let pageSize = (try? PDFDocument(data: request.rightPDF))?.pageSize(at: 0)
        let document = DocxDocument(
            paragraphs: composer.paragraphs, date: request.date,
            pageWidth: pageSize?.width ?? PDFPageSize.a4.width, pageHeight: pageSize?.height ?? PDFPageSize.a4.height)
        let body = document.documentXML()
        var zip = ZipWriter(date: request.date)
        zip.add(path: "[Content_Types].xml", contents: Data(DocxDocument.contentTypes.utf8))
        zip.add(path: "_rels/.rels", contents: Data(DocxDocument.packageRelationships.utf8))
        zip.add(path: "docProps/core.xml", contents: Data(document.coreProperties(title: "Redline: \(request.leftName) → \(request.rightName)").utf8))
        zip.add(path: "word/_rels/document.xml.rels", contents: Data(DocxDocument.documentRelationships.utf8))
        zip.add(path: "word/document.xml", contents: Data(body.xml.utf8))
        zip.add(path: "word/styles.xml", contents: Data(DocxDocument.styles.utf8))
        zip.add(path: "word/settings.xml", contents: Data(DocxDocument.settings.utf8))
        return ExportResult(
            data: zip.finish(), contentType: ExportResult.docxType, fileExtension: "docx",
            annotationCount: body.insertions + body.deletions)
    }
}

/// WordprocessingML for the redline.
struct DocxDocument {
    static let author = "Redline"
    var paragraphs: [RedlineParagraph]
    var date: Date
    var pageWidth: Double
    var pageHeight: Double

    var isoDate: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return formatter.string(from: date)
    }

    /// document.xml plus how many w:ins and w:del elements it holds.
    func documentXML() -> (xml: String, insertions: Int, deletions: Int) {
        let stamp = "w:author=\"\(Self.author)\" w:date=\"\(isoDate)\""
        var revisionID = 0
        func nextID() -> Int {
            revisionID += 1
            return revisionID
        }
        var insertions = 0
        var deletions = 0
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            """
        for paragraph in paragraphs {
            xml += "<w:p>"
            // A paragraph that exists on one side only gets its paragraph mark tracked too, so accepting
            // or rejecting all changes leaves no empty paragraph behind.
            let revisions = Set(paragraph.pieces.map { piece -> Int in
                switch piece.revision {
                case .inserted: return 1
                case .deleted: return 2
                default: return 0
                }
            })
            if revisions == [1] {
                xml += "<w:pPr><w:rPr><w:ins w:id=\"\(nextID())\" \(stamp)/></w:rPr></w:pPr>"
            } else if revisions == [2] {
                xml += "<w:pPr><w:rPr><w:del w:id=\"\(nextID())\" \(stamp)/></w:rPr></w:pPr>"
            }
            for piece in paragraph.pieces {
                let text = Self.escape(piece.text)
                switch piece.revision {
                case .none:
                    xml += "<w:r>\(Self.runProperties(piece.style))<w:t xml:space=\"preserve\">\(text)</w:t></w:r>"
                case .inserted:
                    insertions += 1
                    xml += "<w:ins w:id=\"\(nextID())\" \(stamp)><w:r>\(Self.runProperties(piece.style))<w:t xml:space=\"preserve\">\(text)</w:t></w:r></w:ins>"
                case .deleted:
                    deletions += 1
                    xml += "<w:del w:id=\"\(nextID())\" \(stamp)><w:r>\(Self.runProperties(piece.style))<w:delText xml:space=\"preserve\">\(text)</w:delText></w:r></w:del>"
                case .formatted(let previous):
                    let change = "<w:rPrChange w:id=\"\(nextID())\" \(stamp)><w:rPr>\(Self.propertyElements(previous))</w:rPr></w:rPrChange>"
                    xml += "<w:r><w:rPr>\(Self.propertyElements(piece.style))\(change)</w:rPr><w:t xml:space=\"preserve\">\(text)</w:t></w:r>"
                }
            }
            xml += "</w:p>"
        }
        let width = Int((pageWidth * 20).rounded())
        let height = Int((pageHeight * 20).rounded())
        xml += """
            <w:sectPr><w:pgSz w:w="\(width)" w:h="\(height)"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>
            """
        return (xml, insertions, deletions)
    }

    /// Run property children in schema order (b, i, color, sz, szCs).
    static func propertyElements(_ style: RunStyle) -> String {
        var xml = ""
        if style.bold { xml += "<w:b/><w:bCs/>" }
        if style.italic { xml += "<w:i/><w:iCs/>" }
        if let color = style.color { xml += "<w:color w:val=\"\(color)\"/>" }
        if let size = style.size {
            let halfPoints = Int((size * 2).rounded())
            xml += "<w:sz w:val=\"\(halfPoints)\"/><w:szCs w:val=\"\(halfPoints)\"/>"
        }
        return xml
    }

    static func runProperties(_ style: RunStyle) -> String {
        let elements = propertyElements(style)
        return elements.isEmpty ? "" : "<w:rPr>\(elements)</w:rPr>"
    }

    /// XML text: escaped, characters XML 1.0 forbids dropped, tabs as spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out += " "
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    func coreProperties(title: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>\(Self.escape(title))</dc:title><dc:creator>Redline</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">\(isoDate)</dcterms:created></cp:coreProperties>
        """
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>
        """

    static let packageRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>
        """

    static let documentRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/></Relationships>
        """

    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style></w:styles>
        """

    static let settings = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:trackRevisions/><w:defaultTabStop w:val="720"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>
        """
}
