import Foundation

/// Object storage for documents, PDFs, renderings and results.
/// Implementations: local directory (embedded) and S3 (production).
public protocol BlobStore: Sendable {
    func put(_ key: String, data: Data) async throws
    /// Returns nil when the key does not exist.
    func get(_ key: String) async throws -> Data?
    func delete(_ key: String) async throws
    /// Deletes every blob whose key starts with `prefix`.
    func deleteAll(prefix: String) async throws
}

/// Any blob store behind one concrete type, so the services built in the CLI are the same whether
/// blobs live on local disk or in S3.
public struct AnyBlobStore: BlobStore {
    public let base: any BlobStore

    public init(_ base: any BlobStore) {
        self.base = base
    }

    public func put(_ key: String, data: Data) async throws { try await base.put(key, data: data) }
    public func get(_ key: String) async throws -> Data? { try await base.get(key) }
    public func delete(_ key: String) async throws { try await base.delete(key) }
    public func deleteAll(prefix: String) async throws { try await base.deleteAll(prefix: prefix) }
}
