import Crypto
import Foundation

/// Export use cases: create (validate and enqueue), read, and the signed links that let a plain
/// GET download a ready export without credentials while the link is valid.
public struct ExportService<Exports: ExportRepository, Comparisons: ComparisonRepository>: Sendable {
    public let exports: Exports
    public let comparisons: Comparisons
    public let links: DownloadLinkSigner

    public init(exports: Exports, comparisons: Comparisons, links: DownloadLinkSigner) {
        self.exports = exports
        self.comparisons = comparisons
        self.links = links
    }

    public func create(accountID: String, comparison identifier: String?, kind rawKind: String?, includeCoverPage: Bool) async throws -> Export {
        guard let identifier, !identifier.isEmpty else { throw RedlineError.invalid("comparison", "is required: the identifier of a comparison") }
        guard let rawKind, let kind = Export.Kind(rawValue: rawKind) else {
            throw RedlineError.invalid("kind", "must be one of \(Export.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let comparison = try await comparisons.find(accountID: accountID, identifier: identifier) else {
            throw RedlineError.invalid("comparison", "no comparison with identifier '\(identifier)' exists in this account")
        }
        switch comparison.status {
        case .queued, .processing: throw RedlineError.invalid("comparison", "is not ready yet; export it once ready is true")
        case .failed: throw RedlineError.invalid("comparison", "failed, so there is nothing to export")
        case .ready: break
        }
        if kind == .redlineDocx, ![.docx, .docm].contains(comparison.right.fileType) {
            throw RedlineError.invalid("kind", "redline_docx needs a Word (docx) right document")
        }
        let export = Export(
            accountID: accountID, identifier: RandomToken.identifier(), comparisonIdentifier: identifier, kind: kind,
            includeCoverPage: kind == .combined && includeCoverPage, creationTime: Timestamp.now())
        try await exports.insertAndEnqueue(export)
        return export
    }

    public func get(accountID: String, identifier: String) async throws -> Export {
        guard let export = try await exports.find(accountID: accountID, identifier: identifier) else {
            throw RedlineError.notFound("No export with identifier '\(identifier)' exists in this account.")
        }
        return export
    }
}

/// HMAC-signed, expiring download links for exports (the local-disk stand-in for S3 pre-signed URLs).
public struct DownloadLinkSigner: Sendable {
    private let keyBytes: Data
    /// How long a link stays valid.
    public let lifetime: TimeInterval

    public init(secret: Data, lifetime: TimeInterval = 3600) {
        keyBytes = Data(SHA256.hash(data: Data("redline-download-links:".utf8) + secret))
        self.lifetime = lifetime
    }

    public func signature(accountID: String, identifier: String, validUntil: Int64) -> String {
        let message = Data("\(accountID)\n\(identifier)\n\(validUntil)".utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: keyBytes))).hexString
    }

    /// The query string of a link valid from now for `lifetime`.
    public func query(accountID: String, identifier: String, now: Date = Date()) -> String {
        let validUntil = Int64(now.timeIntervalSince1970 + lifetime)
        return "account=\(accountID)&valid_until=\(validUntil)&signature=\(signature(accountID: accountID, identifier: identifier, validUntil: validUntil))"
    }

    public func verify(accountID: String, identifier: String, validUntil: Int64, signature given: String, now: Date = Date()) -> ViewerSignature.Verdict {
        let expected = Array(signature(accountID: accountID, identifier: identifier, validUntil: validUntil).utf8)
        guard ViewerSignature.constantTimeEquals(expected, Array(given.lowercased().utf8)) else { return .invalid }
        return Double(validUntil) >= now.timeIntervalSince1970 ? .valid : .expired
    }
}
