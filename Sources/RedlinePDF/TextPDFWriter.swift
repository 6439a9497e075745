import Foundation

/// Turns plain text into a paginated PDF so TXT uploads get pages, regions and a rendered view like
/// any other document. DejaVu Sans 11 pt on A4 with 1-inch margins; lines wrap at the page width,
/// a form feed starts a new page, and characters DejaVu lacks (CJK) fall back to any installed font
/// that has them.
public enum TextPDFWriter {
    public static func pdf(fromText text: String, title: String? = nil) throws(PDFError) -> Data {
        var layout = FlowLayout()
        layout.paragraphSpacing = 0
        return try pdf(fromText: text, title: title, layout: layout)
    }

    /// Same with a custom layout (page size, margins, spacing) and text style.
    public static func pdf(
        fromText text: String, title: String? = nil, layout: FlowLayout, style: PDFTextStyle = FlowLayout.defaultStyle
    ) throws(PDFError) -> Data {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var pages: [StyledPage] = []
        for chunk in normalised.split(separator: "\u{0C}", omittingEmptySubsequences: false) {
            let paragraphs: [[StyledSpan]] = chunk.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                let cleaned = String(line.unicodeScalars.map { scalar -> Character in
                    scalar == "\t" || scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) ? " " : Character(scalar)
                })
                return [StyledSpan(cleaned, style: style)]
            }
            pages.append(contentsOf: layout.pages(for: paragraphs))
        }
        return try StyledPDFWriter.pdf(pages: pages, title: title)
    }
}
