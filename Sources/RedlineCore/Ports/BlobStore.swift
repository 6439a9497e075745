import Foundation

/// Object storage for documents, PDFs, renderings and results.
/// Implementations: local directory (embedded) and S3 (production).
public protocol BlobStore: Sendable {
    func put(_ key: String, data: Data) async throws
    /// Stores a file from disk. S3 streams large files in parts; the default reads the file.
    func put(_ key: String, contentsOf file: URL) async throws
    /// Returns nil when the key does not exist.
    func get(_ key: String) async throws -> Data?
    func delete(_ key: String) async throws
    /// Deletes every blob whose key starts with `prefix`.
    func deleteAll(prefix: String) async throws
    /// A URL the client can fetch `key` from directly for `lifetime` seconds, downloading as
    /// `filename` with `contentType`; nil when blobs are served only through Redline.
    ///
    /// S3 answers with a pre-signed GET, so large downloads never pass through the API process;
    /// local disk has no such URL (the default).
    func directDownloadURL(_ key: String, lifetime: Int, contentType: String, filename: String) async throws -> URL?
    /// A URL a page can embed for `key` (an image the viewer shows), the same for every request in
    /// a window of `lifetime` seconds so browsers cache it, and valid for at least `lifetime` more
    /// seconds; nil when blobs are served only through Redline.
    func directAssetURL(_ key: String, lifetime: Int, contentType: String) async throws -> URL?
    /// The origin those URLs point at (`https://bucket.s3.eu-west-1.amazonaws.com`), for the
    /// viewer's Content-Security-Policy; nil when there are none.
    var directURLOrigin: String? { get }
    /// Whether `key` exists, without downloading it.
    func contains(_ key: String) async throws -> Bool
}

extension BlobStore {
    public func put(_ key: String, contentsOf file: URL) async throws { try await put(key, data: try Data(contentsOf: file)) }
    public func directDownloadURL(_ key: String, lifetime: Int, contentType: String, filename: String) async throws -> URL? { nil }
    public func directAssetURL(_ key: String, lifetime: Int, contentType: String) async throws -> URL? { nil }
    public var directURLOrigin: String? { nil }
    public func contains(_ key: String) async throws -> Bool { try await get(key) != nil }
}

/// Any blob store behind one concrete type, so the services built in the CLI are the same whether
/// blobs live on local disk or in S3.
public struct AnyBlobStore: BlobStore {
    public let base: any BlobStore

    public init(_ base: any BlobStore) {
        self.base = base
    }

    public func put(_ key: String, data: Data) async throws { try await base.put(key, data: data) }
    public func put(_ key: String, contentsOf file: URL) async throws { try await base.put(key, contentsOf: file) }
    public func get(_ key: String) async throws -> Data? { try await base.get(key) }
    public func delete(_ key: String) async throws { try await base.delete(key) }
    public func deleteAll(prefix: String) async throws { try await base.deleteAll(prefix: prefix) }
    public func directDownloadURL(_ key: String, lifetime: Int, contentType: String, filename: String) async throws -> URL? {
        try await base.directDownloadURL(key, lifetime: lifetime, contentType: contentType, filename: filename)
    }
    public func directAssetURL(_ key: String, lifetime: Int, contentType: String) async throws -> URL? {
        try await base.directAssetURL(key, lifetime: lifetime, contentType: contentType)
    }
    public var directURLOrigin: String? { base.directURLOrigin }
    public func contains(_ key: String) async throws -> Bool { try await base.contains(key) }
}
