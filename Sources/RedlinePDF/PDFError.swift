/// Errors from reading, rendering or writing PDFs. Every case carries a message a person can act on,
/// because these messages travel unchanged to API clients and the CLI.
public enum PDFError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The bytes are not a PDF poppler can open (garbage, truncated, damaged beyond repair).
    case invalidPDF(String)
    /// The PDF needs a password to open.
    case passwordProtected
    /// The PDF opened but contains no pages.
    case noPages
    /// A page index outside `0..<pageCount`.
    case pageOutOfRange(index: Int, pageCount: Int)
    /// Rendering a page failed (bad scale, surface too large, cairo error).
    case renderFailed(String)
    /// Writing a PDF failed (cairo error, empty input where content is required).
    case writeFailed(String)

    public var description: String {
        switch self {
        case .invalidPDF(let detail):
            return detail.isEmpty ? "The file is not a valid PDF" : "The file is not a valid PDF: \(detail)"
        case .passwordProtected:
            return "The PDF is password-protected; upload an unprotected copy"
        case .noPages:
            return "The PDF has no pages"
        case .pageOutOfRange(let index, let pageCount):
            return "Page \(index) does not exist (the PDF has \(pageCount) page\(pageCount == 1 ? "" : "s"))"
        case .renderFailed(let detail):
            return "The page could not be rendered: \(detail)"
        case .writeFailed(let detail):
            return "The PDF could not be written: \(detail)"
        }
    }
}
