import Foundation
import RedlinePDF
import Testing

@testable import RedlineExport

/// Two small real PDFs (laid out with RedlinePDF, paragraph spacing on) and a hand-built change list whose
/// regions are the PDFs' own word boxes. Covers every change kind:
///
///     left                                             right
///     Redline compares two documents word by word.     Appendix text moves around.            (move)
///     The quick brown fox jumps over the lazy dog.     Redline compares two documents word by word.
///     This sentence will be removed entirely.          The quick red fox happily jumps over the lazy dog.
///     Shared closing paragraph stays the same.         Shared **closing** paragraph stays the same.
///     Appendix text moves around.
struct Fixture {
    static let leftParagraphs = [
        "Redline compares two documents word by word.",
        "The quick brown fox jumps over the lazy dog.",
        "This sentence will be removed entirely.",
        "Shared closing paragraph stays the same.",
        "Appendix text moves around.",
    ]
    static let rightParagraphs = [
        "Appendix text moves around.",
        "Redline compares two documents word by word.",
        "The quick red fox happily jumps over the lazy dog.",
        "Shared closing paragraph stays the same.",
    ]

    var left: Data
    var right: Data
    let leftWords: [PDFWord]
    let rightWords: [PDFWord]
    var changes: [[String: Any]] = []

    /// `pages` repeats the paragraphs that many times with a page break between copies (changes are built
    /// for the first page only).
    init(pages: Int = 1) throws {
        let plain = FlowLayout.defaultStyle
        var bold = plain
        bold.bold = true
        func document(_ paragraphs: [String], boldWord: String?) throws -> Data {
            let spans: [[StyledSpan]] = paragraphs.map { paragraph in
                guard let boldWord, paragraph.contains(" \(boldWord) ") else { return [StyledSpan(paragraph, style: plain)] }
                let parts = paragraph.components(separatedBy: " \(boldWord) ")
                return [StyledSpan(parts[0] + " ", style: plain), StyledSpan(boldWord, style: bold), StyledSpan(" " + parts[1], style: plain)]
            }
            let layout = FlowLayout()
            var allPages: [StyledPage] = []
            for _ in 0..<pages { allPages += layout.pages(for: spans) }
            return try StyledPDFWriter.pdf(pages: allPages)
        }
        left = try document(Self.leftParagraphs, boldWord: nil)
        right = try document(Self.rightParagraphs, boldWord: "closing")
        leftWords = try PDFDocument(data: left).words(page: 0)
        rightWords = try PDFDocument(data: right).words(page: 0)
        try buildChanges()
    }

    /// The words of `phrase` in `words`, at its `occurrence`-th appearance.
    static func find(_ phrase: String, in words: [PDFWord], occurrence: Int = 0) throws -> [PDFWord] {
        let tokens = phrase.split(separator: " ").map(String.init)
        var seen = 0
        for start in 0...(words.count - tokens.count) where words[start..<start + tokens.count].map(\.text) == tokens {
            if seen == occurrence { return Array(words[start..<start + tokens.count]) }
            seen += 1
        }
        Issue.record("phrase not found: \(phrase)")
        throw ExportError("phrase not found")
    }

    /// One rectangle per line: the union of the line's word boxes.
    static func region(_ words: [PDFWord]) -> [String: Any] {
        var rects: [PDFRect] = []
        var lastLine: Int?
        for word in words {
            if word.lineID == lastLine, let last = rects.last {
                rects[rects.count - 1] = last.union(word.box)
            } else {
                rects.append(word.box)
            }
            lastLine = word.lineID
        }
        return [
            "pageIndex": words.first?.pageIndex ?? 0,
            "rectangles": rects.map { ["left": $0.left, "top": $0.top, "right": $0.right, "bottom": $0.bottom] },
        ]
    }

    static func style(_ emphasis: String) -> [String: Any] {
        ["color": "#000000", "font": "DejaVu Sans", "emphasis": emphasis, "size": 11]
    }

    mutating func buildChanges() throws {
        func change(_ kind: String, text: String? = nil, left: [PDFWord]?, right: [PDFWord]?) -> [String: Any] {
            var entry: [String: Any] = [
                "kind": kind,
                "leftText": left.map { $0.map(\.text).joined(separator: " ") } as Any,
                "rightText": right.map { $0.map(\.text).joined(separator: " ") } as Any,
                "leftRegion": left.map { Self.region($0) } as Any,
                "rightRegion": right.map { Self.region($0) } as Any,
                "stylesInfo": NSNull(), "deletionMark": NSNull(),
            ]
            if let text { entry["text"] = text }
            return entry
        }
        let l = leftWords
        let r = rightWords
        var move = change("move", left: try Self.find("Appendix text moves around.", in: l), right: try Self.find("Appendix text moves around.", in: r))
        // The old place, in right-document terms: just after the last word ("same.").
        let last = try Self.find("same.", in: r)[0]
        move["deletionMark"] = ["pageIndex": 0, "point": [last.box.right, last.box.top]]
        changes.append(move)
        let opening = "Redline compares two documents word by word. The quick"
        changes.append(change("match", text: opening, left: try Self.find(opening, in: l), right: try Self.find(opening, in: r)))
        changes.append(change("replace", left: try Self.find("brown", in: l), right: try Self.find("red", in: r)))
        changes.append(change("match", text: "fox", left: try Self.find("fox", in: l), right: try Self.find("fox", in: r)))
        changes.append(change("insert", left: nil, right: try Self.find("happily", in: r)))
        // A match without "text" (optional on the wire): the DOCX takes its words from the PDF.
        var tail = change("match", left: try Self.find("jumps over the lazy dog.", in: l), right: try Self.find("jumps over the lazy dog.", in: r))
        tail["leftText"] = NSNull()
        tail["rightText"] = NSNull()
        changes.append(tail)
        var deletion = change("delete", left: try Self.find("This sentence will be removed entirely.", in: l), right: nil)
        let shared = try Self.find("Shared", in: r)[0]
        deletion["deletionMark"] = ["pageIndex": 0, "point": [shared.box.left, shared.box.top]]
        changes.append(deletion)
        changes.append(change("match", text: "Shared", left: try Self.find("Shared", in: l), right: try Self.find("Shared", in: r)))
        var styleChange = change("style", text: "closing", left: try Self.find("closing", in: l), right: try Self.find("closing", in: r))
        styleChange["leftText"] = NSNull()
        styleChange["rightText"] = NSNull()
        styleChange["stylesInfo"] = [
            "leftStyles": [Self.style("")], "rightStyles": [Self.style("bold")],
            "leftStyleMap": ["0-6"], "rightStyleMap": ["0-6"],
        ]
        changes.append(styleChange)
        let closing = "paragraph stays the same."
        changes.append(change("match", text: closing, left: try Self.find(closing, in: l), right: try Self.find(closing, in: r)))
    }

    func json() throws -> Data {
        func count(_ kind: String) -> Int { changes.filter { $0["kind"] as? String == kind }.count }
        let summary: [String: Any] = [
            "anyChanges": true,
            "changeSummary": [
                "matches": count("match"), "deletions": count("delete"), "insertions": count("insert"),
                "replacements": count("replace"), "styleChanges": count("style"), "moves": count("move"),
                "matchingWords": 18, "deletedLeftWords": 6, "insertedRightWords": 1, "replacedLeftWords": 1,
                "replacedRightWords": 1,
            ],
            "leftDocumentSummary": ["pageCount": 1, "characterCount": 200, "wordCount": 36],
            "rightDocumentSummary": ["pageCount": 1, "characterCount": 190, "wordCount": 31],
        ]
        return try JSONSerialization.data(withJSONObject: ["changes": changes, "summary": summary])
    }

    func request(_ kind: ExportKind, cover: Bool = false) throws -> ExportRequest {
        ExportRequest(
            kind: kind, leftPDF: left, rightPDF: right, changeDetailsJSON: try json(), includeCoverPage: cover,
            leftName: "contract-v1.pdf", rightName: "contract-v2.pdf",
            date: Date(timeIntervalSince1970: 1_750_000_000))
    }
}
