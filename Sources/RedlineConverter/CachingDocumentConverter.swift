import Crypto
import Foundation
import RedlineCore

/// Converts identical inputs once: the PDF is cached in the blob store under the input's SHA-256.
public struct CachingDocumentConverter<Blobs: BlobStore>: DocumentConverter {
    public let inner: any DocumentConverter
    public let blobs: Blobs
    /// Part of the cache key: settings that change the output (e.g. the tracked-changes mode).
    public let variant: String

    public init(inner: any DocumentConverter, blobs: Blobs, variant: String) {
        self.inner = inner
        self.blobs = blobs
        self.variant = variant
    }

    public func convertToPDF(_ data: Data, fileType: FileType) async throws -> Data {
        guard fileType.needsOfficeConversion else { return try await inner.convertToPDF(data, fileType: fileType) }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let key = "conversions/\(digest)-\(fileType.rawValue)-\(variant).pdf"
        if let cached = try? await blobs.get(key) { return cached }
        let pdf = try await inner.convertToPDF(data, fileType: fileType)
        try? await blobs.put(key, data: pdf)
        return pdf
    }
}
