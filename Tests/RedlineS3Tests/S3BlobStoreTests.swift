import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import RedlineCore
import RedlineS3
import Testing

/// Against a real S3-compatible server (moto in server mode) at `REDLINE_TEST_S3_ENDPOINT`.
enum TestS3 {
    static let endpoint = ProcessInfo.processInfo.environment["REDLINE_TEST_S3_ENDPOINT"].flatMap { $0.isEmpty ? nil : URL(string: $0) }
}

@Suite(.enabled(if: TestS3.endpoint != nil, "set REDLINE_TEST_S3_ENDPOINT"))
struct S3BlobStoreTests {

    /// A fresh bucket per test, with a prefix to check prefixing.
    func makeStore() async throws -> S3BlobStore {
        let bucket = "redline-test-\(UUID().uuidString.lowercased().prefix(12))"
        let configuration = S3Configuration(
            bucket: bucket, prefix: "pre/", region: "us-east-1", endpoint: TestS3.endpoint,
            credentials: .static(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")))
        let store = S3BlobStore(configuration: configuration, logger: Logger(label: "s3.test"), multipartThreshold: 5 << 20, partSize: 5 << 20)
        try await store.createBucketIfNeeded()
        return store
    }

    @Test func putGetDeleteAndMissingKeys() async throws {
        let store = try await makeStore()
        let key = "acct/cmp 1/résumé (v2).pdf"
        try await store.put(key, data: Data("hello".utf8))
        #expect(try await store.get(key) == Data("hello".utf8))
        #expect(try await store.get("acct/missing") == nil)
        try await store.delete(key)
        #expect(try await store.get(key) == nil)
        try await store.delete(key)  // deleting twice is fine
    }

    @Test func deleteAllRemovesOnlyThePrefix() async throws {
        let store = try await makeStore()
        for i in 0..<25 { try await store.put("a/b/\(i) x+y", data: Data([UInt8(i)])) }
        try await store.put("a/c", data: Data("keep".utf8))
        try await store.deleteAll(prefix: "a/b/")
        #expect(try await store.get("a/b/3 x+y") == nil)
        #expect(try await store.get("a/c") == Data("keep".utf8))
    }

    @Test func multipartUploadAndRangedGet() async throws {
        let store = try await makeStore()
        let size = (5 << 20) * 2 + 12_345
        let data = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
        try await store.put("big.bin", data: data)
        #expect(try await store.get("big.bin") == data)
        #expect(try await store.get("big.bin", range: 100..<200) == data.subdata(in: 100..<200))
        #expect(try await store.get("big.bin", range: (size - 10)..<(size + 50)) == data.subdata(in: (size - 10)..<size))
        #expect(try await store.get("nothing", range: 0..<10) == nil)
    }

    @Test func presignedURLDownloadsWithAPlainGET() async throws {
        let store = try await makeStore()
        try await store.put("shared/doc 1.pdf", data: Data("%PDF-1.7".utf8))
        let url = try await store.presignedGetURL(key: "shared/doc 1.pdf", expires: 300)
        #expect(!url.absoluteString.contains("testing&"))  // the secret is never in the URL
        let (body, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self) == "%PDF-1.7")
    }

    @Test func directDownloadURLIsAPresignedGETWithNameAndType() async throws {
        let store = try await makeStore()
        try await store.put("exports/x.pdf", data: Data("%PDF-1.7 export".utf8))
        // Through the type-erased seam the API uses: the capability, not a type check.
        let blobs: any BlobStore = AnyBlobStore(store)
        let url = try #require(
            try await blobs.directDownloadURL("exports/x.pdf", lifetime: 120, contentType: "application/pdf", filename: "cmp-right.pdf"))
        let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        #expect(query.first { $0.name == "X-Amz-Expires" }?.value == "120")
        #expect(query.contains { $0.name == "X-Amz-Signature" })
        let (body, response) = try await URLSession.shared.data(from: url)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self) == "%PDF-1.7 export")
        #expect(http.value(forHTTPHeaderField: "Content-Disposition") == "attachment; filename=\"cmp-right.pdf\"")
        #expect(http.value(forHTTPHeaderField: "Content-Type") == "application/pdf")
    }

    @Test func assetURLIsStableWithinItsWindowAndCacheable() async throws {
        let store = try await makeStore()
        try await store.put("pages/left-0.png", data: Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(try await store.contains("pages/left-0.png"))
        #expect(try await store.contains("pages/left-1.png") == false)
        let blobs: any BlobStore = AnyBlobStore(store)
        let first = try #require(try await blobs.directAssetURL("pages/left-0.png", lifetime: 3600, contentType: "image/png"))
        let second = try #require(try await blobs.directAssetURL("pages/left-0.png", lifetime: 3600, contentType: "image/png"))
        // The same URL for every request in the hour (unless the hour turned between the two calls).
        let window = Int(Date().timeIntervalSince1970) / 3600 * 3600
        if Int(Date().timeIntervalSince1970) - window > 5 { #expect(first == second) }
        let query = URLComponents(url: first, resolvingAgainstBaseURL: false)?.queryItems ?? []
        #expect(query.first { $0.name == "X-Amz-Expires" }?.value == "7200")
        let (body, response) = try await URLSession.shared.data(from: first)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200 && body == Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(http.value(forHTTPHeaderField: "Content-Type") == "image/png")
        #expect(http.value(forHTTPHeaderField: "Cache-Control") == "private, max-age=3600")
        #expect(blobs.directURLOrigin == TestS3.endpoint.map { "\($0.scheme!)://\($0.host!):\($0.port!)" })
        #expect(first.absoluteString.hasPrefix(try #require(blobs.directURLOrigin)))
    }

    @Test func directURLsCanBeTurnedOff() async throws {
        let on = try await makeStore()
        let off = S3BlobStore(configuration: on.configuration, logger: Logger(label: "s3.test"), directURLs: false)
        try await off.put("x.pdf", data: Data("%PDF".utf8))
        #expect(try await off.directDownloadURL("x.pdf", lifetime: 60, contentType: "application/pdf", filename: "x.pdf") == nil)
        #expect(try await off.directAssetURL("x.pdf", lifetime: 60, contentType: "image/png") == nil)
        #expect(off.directURLOrigin == nil)
        #expect(try await on.directDownloadURL("x.pdf", lifetime: 60, contentType: "application/pdf", filename: "x.pdf") != nil)
    }

    @Test func directDownloadLifetimeIsBounded() async throws {
        let store = try await makeStore()
        let url = try #require(try await store.directDownloadURL("k", lifetime: 10_000_000, contentType: "application/pdf", filename: "a.pdf"))
        let expires = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "X-Amz-Expires" }?.value
        #expect(expires == "604800")  // S3's maximum, never more
    }

    @Test func unreachableServerIsATransientErrorWithoutSecrets() async throws {
        let configuration = S3Configuration(
            bucket: "nowhere", region: "us-east-1", endpoint: URL(string: "http://127.0.0.1:1"),
            credentials: .static(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "very-secret")))
        let store = S3BlobStore(configuration: configuration, logger: Logger(label: "s3.test"), requestTimeout: .milliseconds(500))
        do {
            _ = try await store.get("k")
            Issue.record("expected an error")
        } catch let error as RedlineError {
            guard case .transient(let message) = error else { Issue.record("expected transient, got \(error)"); return }
            #expect(message.contains("GET"))
            #expect(!message.contains("very-secret"))
        }
    }
}
