import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RedlineCore

/// The production blob store: objects in an S3 bucket (or any S3-compatible server), under the
/// configured prefix. Missing keys read as nil; every other failure is `RedlineError.transient`
/// with a message naming the operation, so jobs retry and operators see what broke.
public final class S3BlobStore: BlobStore {
    public let configuration: S3Configuration
    /// Objects larger than this are uploaded in parts (S3 refuses single PUTs over 5 GB, and parts retry independently).
    public let multipartThreshold: Int
    /// Size of each part but the last (S3 minimum: 5 MiB).
    public let partSize: Int
    /// Whether clients are sent to the bucket by pre-signed URL (exports, viewer images). Off when
    /// the S3 endpoint is not one browsers can reach (an in-cluster or compose-internal server).
    public let directURLs: Bool
    let transport: S3Transport
    let credentials: any AWSCredentialProvider
    let logger: Logger

    /// `httpClient` defaults to the process-wide shared client, which needs no shutdown.
    /// `requestTimeout` bounds each attempt (connecting included: AsyncHTTPClient keeps retrying a
    /// refused connection until then), plus one second per MiB of body.
    public init(
        configuration: S3Configuration, httpClient: HTTPClient = .shared, logger: Logger,
        multipartThreshold: Int = 16 << 20, partSize: Int = 8 << 20, requestTimeout: Duration = .seconds(30), directURLs: Bool = true
    ) {
        self.configuration = configuration
        self.directURLs = directURLs
        self.multipartThreshold = max(multipartThreshold, 5 << 20)
        self.partSize = max(partSize, 5 << 20)
        self.logger = logger
        let credentials = CredentialFetchers.provider(for: configuration.credentials, http: httpClient)
        self.credentials = credentials
        var transport = S3Transport(configuration: configuration, http: httpClient, credentials: credentials, logger: logger)
        transport.timeout = .nanoseconds(Int64(requestTimeout.components.seconds) * 1_000_000_000 + requestTimeout.components.attoseconds / 1_000_000_000)
        self.transport = transport
    }

    func fullKey(_ key: String) -> String { configuration.prefix + key }

    public func put(_ key: String, data: Data) async throws {
        if data.count > multipartThreshold {
            try await S3Multipart(transport: transport, key: fullKey(key), partSize: partSize, logger: logger).upload(data)
            return
        }
        let response = try await transport.send(
            .PUT, key: fullKey(key), headers: [("Content-Type", "application/octet-stream")], body: data, operation: "PUT")
        try transport.check(response, [200], operation: "PUT", key: key)
    }

    /// Uploads a file from disk: small files in one PUT; larger ones as a multipart upload whose
    /// parts are read from the file as they are sent (memory stays at a few parts, whatever the
    /// file's size) and which is aborted if any part fails.
    public func put(_ key: String, contentsOf file: URL) async throws {
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        guard size > multipartThreshold else {
            try await put(key, data: try Data(contentsOf: file))
            return
        }
        try await S3Multipart(transport: transport, key: fullKey(key), partSize: partSize, logger: logger).upload(.file(file, size: size))
    }

    public func get(_ key: String) async throws -> Data? {
        let response = try await transport.send(.GET, key: fullKey(key), operation: "GET")
        if response.status == .notFound { return nil }
        try transport.check(response, [200], operation: "GET", key: key)
        return response.body
    }

    /// The bytes in `range` (clamped to the object's size by S3); nil when the key does not exist,
    /// empty when the range starts past the end.
    public func get(_ key: String, range: Range<Int>) async throws -> Data? {
        guard !range.isEmpty else { return Data() }
        let response = try await transport.send(
            .GET, key: fullKey(key), headers: [("Range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")], operation: "ranged GET")
        if response.status == .notFound { return nil }
        if response.status == .rangeNotSatisfiable { return Data() }
        try transport.check(response, [200, 206], operation: "ranged GET", key: key)
        if response.status == .ok {  // a server that ignores Range
            let lower = min(range.lowerBound, response.body.count), upper = min(range.upperBound, response.body.count)
            return response.body.subdata(in: lower..<upper)
        }
        return response.body
    }

    public func delete(_ key: String) async throws {
        let response = try await transport.send(.DELETE, key: fullKey(key), operation: "DELETE")
        try transport.check(response, [200, 204, 404], operation: "DELETE", key: key)
    }

    /// Lists the keys under `prefix` (ListObjectsV2) and deletes them 1000 at a time
    /// (DeleteObjects), falling back to one DELETE per key on servers without DeleteObjects.
    public func deleteAll(prefix: String) async throws {
        var token: String?
        repeat {
            let page = try await list(prefix: fullKey(prefix), continuationToken: token)
            if !page.keys.isEmpty { try await deleteObjects(page.keys) }
            token = page.nextToken
        } while token != nil
    }

    /// A URL that downloads `key` with a plain GET for `expires` seconds (1 s … 7 days).
    /// - Parameter responseHeaders: S3's `response-content-type` / `response-content-disposition`
    ///   overrides, signed into the URL so the download gets a proper name and type.
    public func presignedGetURL(key: String, expires: Int, responseHeaders: [(String, String)] = [], date: Date = Date()) async throws -> URL {
        let credentials: AWSCredentials
        do { credentials = try await self.credentials.credentials() } catch {
            throw RedlineError.transient("S3 credentials are unavailable: \(error)")
        }
        let signer = SigV4Signer(credentials: credentials, region: configuration.region)
        let url = configuration.url(forKey: fullKey(key), query: responseHeaders)
        return signer.presignedURL(url: url, expires: min(max(expires, 1), 604_800), date: date)
    }

    /// A pre-signed GET signed at the start of the current `lifetime` window and valid for two
    /// windows: identical for every request in the window (browsers cache it) and always valid for
    /// at least `lifetime` more seconds. S3 sends `Cache-Control` to match.
    public func directAssetURL(_ key: String, lifetime: Int, contentType: String) async throws -> URL? {
        guard directURLs else { return nil }
        let window = Double(min(max(lifetime, 60), 302_400))
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / window).rounded(.down) * window)
        return try await presignedGetURL(
            key: key, expires: Int(window) * 2,
            responseHeaders: [("response-cache-control", "private, max-age=\(Int(window))"), ("response-content-type", contentType)], date: start)
    }

    public var directURLOrigin: String? {
        guard directURLs, let components = URLComponents(url: configuration.url(forKey: ""), resolvingAgainstBaseURL: false),
            let scheme = components.scheme, let host = components.host
        else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// HEAD: present or not, without downloading.
    public func contains(_ key: String) async throws -> Bool {
        let response = try await transport.send(.HEAD, key: fullKey(key), operation: "HEAD")
        if response.status == .notFound { return false }
        try transport.check(response, [200], operation: "HEAD", key: key)
        return true
    }

    /// A pre-signed GET (the blob-store capability the export download link redirects to).
    public func directDownloadURL(_ key: String, lifetime: Int, contentType: String, filename: String) async throws -> URL? {
        guard directURLs else { return nil }
        let safeName = filename.replacingOccurrences(of: "\"", with: "")
        return try await presignedGetURL(
            key: key, expires: lifetime,
            responseHeaders: [("response-content-disposition", "attachment; filename=\"\(safeName)\""), ("response-content-type", contentType)])
    }

    /// Creates the bucket unless it exists and is ours (for development servers and first runs;
    /// production buckets are usually created by infrastructure code).
    public func createBucketIfNeeded() async throws {
        let body = configuration.region == "us-east-1" ? nil : Data(
            "<CreateBucketConfiguration><LocationConstraint>\(S3XML.escape(configuration.region))</LocationConstraint></CreateBucketConfiguration>".utf8)
        let response = try await transport.send(.PUT, key: "", body: body, operation: "CreateBucket")
        if response.status == .conflict, response.errorSummary.hasPrefix("BucketAlreadyOwnedByYou") { return }
        try transport.check(response, [200], operation: "CreateBucket", key: "")
    }

    // MARK: - Listing and batch delete

    struct ListPage {
        var keys: [String]
        var nextToken: String?
    }

    func list(prefix: String, continuationToken: String?) async throws -> ListPage {
        var query = [("list-type", "2"), ("prefix", prefix), ("encoding-type", "url")]
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try await transport.send(.GET, key: "", query: query, operation: "ListObjectsV2")
        try transport.check(response, [200], operation: "ListObjectsV2", key: prefix)
        let xml = String(decoding: response.body, as: UTF8.self)
        // Keys are form-encoded because of encoding-type=url ('+' is a space).
        let keys = S3XML.values("Key", in: xml).map { S3URIEncoding.decode($0.replacingOccurrences(of: "+", with: " ")) }
        let truncated = S3XML.value("IsTruncated", in: xml) == "true"
        return ListPage(keys: keys, nextToken: truncated ? S3XML.value("NextContinuationToken", in: xml) : nil)
    }

    func deleteObjects(_ keys: [String]) async throws {
        for start in stride(from: 0, to: keys.count, by: 1000) {
            let batch = keys[start..<min(start + 1000, keys.count)]
            let xml = "<Delete><Quiet>true</Quiet>" + batch.map { "<Object><Key>\(S3XML.escape($0))</Key></Object>" }.joined() + "</Delete>"
            let body = Data(xml.utf8)
            let md5 = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
            let response = try await transport.send(
                .POST, key: "", query: [("delete", "")], headers: [("Content-MD5", md5), ("Content-Type", "application/xml")], body: body,
                operation: "DeleteObjects")
            if response.status == .notImplemented || response.status == .methodNotAllowed {
                for key in batch {
                    let single = try await transport.send(.DELETE, key: key, operation: "DELETE")
                    try transport.check(single, [200, 204, 404], operation: "DELETE", key: key)
                }
                continue
            }
            try transport.check(response, [200], operation: "DeleteObjects", key: batch.first ?? "")
            let errors = S3XML.values("Error", in: String(decoding: response.body, as: UTF8.self))
            if let first = errors.first {
                throw RedlineError.transient(
                    "S3 DeleteObjects could not delete \(errors.count) object(s) in bucket \(configuration.bucket): \(S3XML.value("Code", in: first) ?? first)")
            }
        }
    }
}
