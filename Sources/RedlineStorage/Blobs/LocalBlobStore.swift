import Foundation
import RedlineCore

/// Blobs as files under one directory: the embedded default.
///
/// Writes go to a temporary file first and are renamed into place, so a reader never sees half a
/// file and a crash never leaves one.
public struct LocalBlobStore: BlobStore {
    public let root: URL

    public init(root: URL) throws {
        self.root = root.standardizedFileURL
        try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
    }

    public func put(_ key: String, data: Data) async throws {
        let url = try path(for: key)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw RedlineError.transient("could not store blob \(key): \(String(cString: strerror(errno)))")
        }
    }

    public func get(_ key: String) async throws -> Data? {
        let url = try path(for: key)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try Data(contentsOf: url)
    }

    public func delete(_ key: String) async throws {
        let url = try path(for: key)
        if unlink(url.path) != 0 && errno != ENOENT {
            throw RedlineError.transient("could not delete blob \(key): \(String(cString: strerror(errno)))")
        }
    }

    public func deleteAll(prefix: String) async throws {
        guard prefix.hasSuffix("/") else {
            throw RedlineError.transient("blob prefix must end with '/': \(prefix)")
        }
        let url = try path(for: String(prefix.dropLast()))
        // A worker may be writing (and renaming) files inside while we delete: retry until the folder is gone.
        for attempt in 0..<5 {
            guard FileManager.default.fileExists(atPath: url.path) else { return }
            do {
                try FileManager.default.removeItem(at: url)
                return
            } catch where attempt < 4 {
                continue
            }
        }
    }

    /// Maps a key to a file under the root, refusing keys that would escape it.
    func path(for key: String) throws -> URL {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw RedlineError.transient("invalid blob key '\(key)'")
        }
        return root.appendingPathComponent(key)
    }
}
