import Foundation

/// What an export produces. Raw values are the API's `kind` strings.
public enum ExportKind: String, Sendable, CaseIterable {
    /// The left PDF with its deletions (and the left side of replacements, moves and style changes) highlighted.
    case left
    /// The right PDF with its insertions (and the right side of replacements, moves and style changes) highlighted.
    case right
    /// Both documents side by side on landscape pages, with their highlights; optional cover page.
    case combined
    /// The right PDF with its highlights plus a caret marker where each deletion was.
    case singlePage = "single_page"
    /// A Word document whose body is the comparison's text with tracked insertions and deletions.
    case redlineDocx = "redline_docx"
}

/// Everything an export needs: both PDFs, the comparison's change details (the API's JSON) and options.
public struct ExportRequest: Sendable {
    public var kind: ExportKind
    public var leftPDF: Data
    public var rightPDF: Data
    /// The change-details document exactly as the API serves it (`{"changes": [...], "summary": {...}}`).
    public var changeDetailsJSON: Data
    /// `combined` only: put a cover page (title, names, change counts, date) first.
    public var includeCoverPage: Bool
    public var leftName: String
    public var rightName: String
    /// `redline_docx`: the right document's original DOCX when it was uploaded as one (checked, not yet reused).
    public var rightOriginalDocx: Data?
    /// Timestamp written on annotations, tracked changes and the cover page.
    public var date: Date

    public init(
        kind: ExportKind, leftPDF: Data, rightPDF: Data, changeDetailsJSON: Data, includeCoverPage: Bool = false,
        leftName: String = "Left", rightName: String = "Right", rightOriginalDocx: Data? = nil, date: Date = Date()
    ) {
        self.kind = kind
        self.leftPDF = leftPDF
        self.rightPDF = rightPDF
        self.changeDetailsJSON = changeDetailsJSON
        self.includeCoverPage = includeCoverPage
        self.leftName = leftName
        self.rightName = rightName
        self.rightOriginalDocx = rightOriginalDocx
        self.date = date
    }
}

/// The exported file.
public struct ExportResult: Sendable {
    public var data: Data
    /// `application/pdf` or the WordprocessingML MIME type.
    public var contentType: String
    /// `pdf` or `docx` (no dot).
    public var fileExtension: String
    /// PDF annotations written (highlights plus deletion markers), or tracked changes (w:ins + w:del) for DOCX.
    public var annotationCount: Int

    public init(data: Data, contentType: String, fileExtension: String, annotationCount: Int) {
        self.data = data
        self.contentType = contentType
        self.fileExtension = fileExtension
        self.annotationCount = annotationCount
    }

    static let pdfType = "application/pdf"
    static let docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
}

/// Why an export failed, in words a person can act on (travels unchanged to API clients).
public struct ExportError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Renders exports. Synchronous and CPU-bound (runs qpdf as a child process for PDF kinds):
/// call it from a worker thread or task, not from an event loop.
public enum ExportRenderer {
    /// Throws only `ExportError`.
    public static func render(_ request: ExportRequest) throws -> ExportResult {
        do {
            let details = try ExportChanges.decode(request.changeDetailsJSON)
            switch request.kind {
            case .left, .right, .singlePage:
                return try AnnotatedExport.render(request, details: details)
            case .combined:
                return try CombinedExport.render(request, details: details)
            case .redlineDocx:
                return try DocxExport.render(request, details: details)
            }
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError("The export failed: \(error)")
        }
    }
}
