import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import RedlineCore
import Testing

@testable import RedlineS3

/// Large files go to S3 from disk in parts (never read whole), and a failed upload is aborted.
@Suite(.enabled(if: TestS3.endpoint != nil, "set REDLINE_TEST_S3_ENDPOINT"))
struct S3StreamingUploadTests {
    static let partSize = 5 << 20

    func makeStore() async throws -> S3BlobStore {
        let configuration = S3Configuration(
            bucket: "redline-stream-\(UUID().uuidString.lowercased().prefix(12))", prefix: "p/", region: "us-east-1", endpoint: TestS3.endpoint,
            credentials: .static(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")))
        let store = S3BlobStore(
            configuration: configuration, logger: Logger(label: "s3.test"), multipartThreshold: Self.partSize, partSize: Self.partSize)
        try await store.createBucketIfNeeded()
        return store
    }

    func temporaryFile(bytes: Int) throws -> (URL, Data) {
        let data = Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 10) })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("redline-s3-\(UUID().uuidString).bin")
        try data.write(to: url)
        return (url, data)
    }

    func openUploads(_ store: S3BlobStore) async throws -> Int {
        try await store.openMultipartUploadCount()
    }

    @Test func fileLargerThanAPartIsUploadedInParts() async throws {
        let store = try await makeStore()
        let (file, data) = try temporaryFile(bytes: Self.partSize * 2 + 777)
        defer { try? FileManager.default.removeItem(at: file) }
        try await AnyBlobStore(store).put("big/upload.bin", contentsOf: file)  // through the seam the services use
        #expect(try await store.get("big/upload.bin") == data)
        // S3 (and moto) give multipart objects an ETag "<md5 of part md5s>-<part count>".
        let (_, response) = try await URLSession.shared.data(from: try await store.presignedGetURL(key: "big/upload.bin", expires: 60))
        let etag = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "ETag") ?? ""
        #expect(etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).hasSuffix("-3"))
        #expect(try await openUploads(store) == 0)
    }

    @Test func smallFileIsOnePut() async throws {
        let store = try await makeStore()
        let (file, data) = try temporaryFile(bytes: 1000)
        defer { try? FileManager.default.removeItem(at: file) }
        try await store.put("small.bin", contentsOf: file)
        #expect(try await store.get("small.bin") == data)
    }

    @Test func failedPartAbortsTheUpload() async throws {
        let store = try await makeStore()
        let (file, _) = try temporaryFile(bytes: Self.partSize + 10)
        defer { try? FileManager.default.removeItem(at: file) }
        // The file is shorter than announced: the last part's read fails after the first part was sent.
        let upload = S3Multipart(transport: store.transport, key: store.fullKey("broken.bin"), partSize: Self.partSize, logger: Logger(label: "t"))
        await #expect(throws: RedlineError.self) { try await upload.upload(.file(file, size: Self.partSize * 3)) }
        #expect(try await openUploads(store) == 0)  // aborted: no orphaned parts
        #expect(try await store.get("broken.bin") == nil)
    }
}
