import Foundation

/// Turns an uploaded document into the PDF the engine reads.
public protocol DocumentConverter: Sendable {
    /// Throws `RedlineError.badDocument` with a message users can act on.
    func convertToPDF(_ data: Data, fileType: FileType) async throws -> Data
}

/// Fetches a side's `source_url`, refusing addresses the operator has not allowed.
public protocol SourceFetcher: Sendable {
    /// Checks a URL before it is accepted (scheme, length, host resolution). Throws `RedlineError.validation`.
    func validate(_ url: String, field: String) async throws
    /// Downloads the document. Throws `RedlineError.badDocument` with a message on failure.
    func fetch(_ url: String, maxBytes: Int) async throws -> Data
}
