import Foundation
import RedlineEngine
import RedlinePDF

/// Builds real PDFs in memory for tests (cairo via RedlinePDF); nothing touches the file system.
enum TestDocuments {
    static let body = PDFTextStyle(font: "DejaVu Sans", size: 11)

    /// Paragraphs of plain text laid out on A4 with `marginRight` controlling the line width.
    static func pdf(
        _ paragraphs: [String], marginRight: Double = 72, footer: String? = nil, header: String? = nil,
        pageSize: PDFPageSize = .a4
    ) throws -> Data {
        try pdf(spans: paragraphs.map { [StyledSpan($0, style: body)] }, marginRight: marginRight, footer: footer, header: header, pageSize: pageSize)
    }

    static func pdf(
        spans: [[StyledSpan]], marginRight: Double = 72, footer: String? = nil, header: String? = nil,
        pageSize: PDFPageSize = .a4
    ) throws -> Data {
        var layout = FlowLayout()
        layout.marginRight = marginRight
        layout.footer = footer
        layout.header = header
        layout.pageSize = pageSize
        return try StyledPDFWriter.pdf(pages: layout.pages(for: spans))
    }

    static func compare(_ left: Data, _ right: Data, options: ComparisonOptions = .init()) throws -> ChangeDetails {
        try ComparisonEngine(options: options).compare(left: left, right: right).changeDetails
    }

    /// Deterministic pseudo-random prose.
    static func prose(words count: Int, seed: UInt64) -> String {
        let vocabulary = """
            the contract tenant landlord shall pay rent amount within days of notice agreement party parties \
            provided that any all such under this section clause term period payment default remedy property \
            premises lease written consent assign sublet repair maintain insurance liability damages breach \
            termination renewal option notice delivered address business law governing jurisdiction court
            """.split(separator: " ").map(String.init)
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        var words: [String] = []
        for index in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let word = vocabulary[Int((state >> 33) % UInt64(vocabulary.count))]
            words.append(index % 37 == 0 ? "\(word)\(index)" : word)
        }
        return words.joined(separator: " ")
    }
}

extension ChangeDetails {
    var nonMatches: [Change] { changes.filter { $0.kind != .match } }
}
