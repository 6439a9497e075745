import Foundation
import Logging
import NIOHTTP1
import RedlineCore

/// Where a multipart upload's parts come from: bytes already in memory, or a file read one part at
/// a time (so a large upload holds at most `concurrency` parts in memory, never the whole file).
enum S3PartSource: Sendable {
    case data(Data)
    case file(URL, size: Int)

    var count: Int {
        switch self {
        case .data(let data): data.count
        case .file(_, let size): size
        }
    }

    func part(_ range: Range<Int>) throws -> Data {
        switch self {
        case .data(let data):
            return data.subdata(in: range)
        case .file(let url, _):
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(range.lowerBound))
            let bytes = try handle.read(upToCount: range.count) ?? Data()
            guard bytes.count == range.count else {
                throw RedlineError.transient("'\(url.lastPathComponent)' changed while it was being uploaded (short read at byte \(range.lowerBound)).")
            }
            return bytes
        }
    }
}

/// One multipart upload: create, upload parts (a few at a time, each retried by the transport),
/// complete; aborted on failure so no orphaned parts keep costing storage.
struct S3Multipart: Sendable {
    let transport: S3Transport
    let key: String
    let partSize: Int
    let logger: Logger
    var concurrency = 3

    func upload(_ data: Data) async throws {
        try await upload(.data(data))
    }

    func upload(_ source: S3PartSource) async throws {
        let created = try await transport.send(.POST, key: key, query: [("uploads", "")], operation: "CreateMultipartUpload")
        try transport.check(created, [200], operation: "CreateMultipartUpload", key: key)
        guard let uploadID = S3XML.value("UploadId", in: String(decoding: created.body, as: UTF8.self)) else {
            throw RedlineError.transient("S3 CreateMultipartUpload of '\(key)' returned no upload id.")
        }
        do {
            let etags = try await uploadParts(source, uploadID: uploadID)
            try await complete(uploadID: uploadID, etags: etags)
        } catch {
            _ = try? await transport.send(.DELETE, key: key, query: [("uploadId", uploadID)], operation: "AbortMultipartUpload")
            throw error
        }
    }

    private func uploadParts(_ source: S3PartSource, uploadID: String) async throws -> [Int: String] {
        let ranges = stride(from: 0, to: source.count, by: partSize).map { $0..<min($0 + partSize, source.count) }
        return try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var etags: [Int: String] = [:]
            var next = 0
            func add() {
                let number = next + 1
                let range = ranges[next]
                next += 1
                group.addTask {
                    let part = try source.part(range)  // read only when its turn comes
                    let response = try await transport.send(
                        .PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: part, operation: "UploadPart")
                    try transport.check(response, [200], operation: "UploadPart \(number)", key: key)
                    guard let etag = response.headers.first(name: "ETag") else {
                        throw RedlineError.transient("S3 UploadPart \(number) of '\(key)' returned no ETag.")
                    }
                    return (number, etag)
                }
            }
            while next < min(concurrency, ranges.count) { add() }
            while let (number, etag) = try await group.next() {
                etags[number] = etag
                if next < ranges.count { add() }
            }
            return etags
        }
    }

    private func complete(uploadID: String, etags: [Int: String]) async throws {
        let parts = etags.keys.sorted().map { "<Part><PartNumber>\($0)</PartNumber><ETag>\(S3XML.escape(etags[$0]!))</ETag></Part>" }
        let body = Data(("<CompleteMultipartUpload>" + parts.joined() + "</CompleteMultipartUpload>").utf8)
        let response = try await transport.send(
            .POST, key: key, query: [("uploadId", uploadID)], headers: [("Content-Type", "application/xml")], body: body,
            operation: "CompleteMultipartUpload")
        try transport.check(response, [200], operation: "CompleteMultipartUpload", key: key)
        // S3 can answer 200 and still fail in the body.
        let xml = String(decoding: response.body, as: UTF8.self)
        if xml.contains("<Error>") {
            throw RedlineError.transient("S3 CompleteMultipartUpload of '\(key)' failed (\(S3XML.value("Code", in: xml) ?? "error")).")
        }
    }
}

extension S3BlobStore {
    /// How many multipart uploads are open in the bucket (ListMultipartUploads, first page): an
    /// aborted upload leaves none, an orphaned one keeps costing storage until a lifecycle rule.
    func openMultipartUploadCount() async throws -> Int {
        let response = try await transport.send(.GET, key: "", query: [("uploads", "")], operation: "ListMultipartUploads")
        try transport.check(response, [200], operation: "ListMultipartUploads", key: "")
        return String(decoding: response.body, as: UTF8.self).components(separatedBy: "<UploadId>").count - 1
    }
}
