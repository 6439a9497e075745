import Foundation

/// A rendering of a comparison for people to keep and send: annotated PDFs or a Word redline.
public struct Export: Sendable, Equatable {
    /// Draftable's four kinds plus `redline_docx` (a Word document with tracked changes).
    public enum Kind: String, Sendable, CaseIterable {
        case left, right, combined
        case singlePage = "single_page"
        case redlineDocx = "redline_docx"

        public var fileExtension: String { self == .redlineDocx ? "docx" : "pdf" }
        public var contentType: String {
            self == .redlineDocx ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document" : "application/pdf"
        }
    }

    public var accountID: String
    public var identifier: String
    public var comparisonIdentifier: String
    public var kind: Kind
    public var includeCoverPage: Bool
    public var status: ComparisonStatus
    public var errorMessage: String?
    public var creationTime: Date
    public var readyTime: Date?
    public var blobKey: String?

    public init(
        accountID: String, identifier: String, comparisonIdentifier: String, kind: Kind, includeCoverPage: Bool,
        status: ComparisonStatus = .queued, errorMessage: String? = nil, creationTime: Date, readyTime: Date? = nil, blobKey: String? = nil
    ) {
        self.accountID = accountID
        self.identifier = identifier
        self.comparisonIdentifier = comparisonIdentifier
        self.kind = kind
        self.includeCoverPage = includeCoverPage
        self.status = status
        self.errorMessage = errorMessage
        self.creationTime = creationTime
        self.readyTime = readyTime
        self.blobKey = blobKey
    }
}

extension BlobKeys {
    public static func export(_ e: Export, of comparison: Comparison) -> String {
        comparison.blobPrefix + "exports/\(e.identifier).\(e.kind.fileExtension)"
    }
}
