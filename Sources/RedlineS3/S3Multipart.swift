import Foundation
import Logging
import NIOHTTP1
import RedlineCore

/// One multipart upload: create, upload parts (a few at a time, each retried by the transport),
/// complete; aborted on failure so no orphaned parts keep costing storage.
struct S3Multipart: Sendable {
    let transport: S3Transport
    let key: String
    let partSize: Int
    let logger: Logger
    var concurrency = 3

    func upload(_ data: Data) async throws {
        let created = try await transport.send(.POST, key: key, query: [("uploads", "")], operation: "CreateMultipartUpload")
        try transport.check(created, [200], operation: "CreateMultipartUpload", key: key)
        guard let uploadID = S3XML.value("UploadId", in: String(decoding: created.body, as: UTF8.self)) else {
            throw RedlineError.transient("S3 CreateMultipartUpload of '\(key)' returned no upload id.")
        }
        do {
            let etags = try await uploadParts(data, uploadID: uploadID)
            try await complete(uploadID: uploadID, etags: etags)
        } catch {
            _ = try? await transport.send(.DELETE, key: key, query: [("uploadId", uploadID)], operation: "AbortMultipartUpload")
            throw error
        }
    }

    private func uploadParts(_ data: Data, uploadID: String) async throws -> [Int: String] {
        let ranges = stride(from: 0, to: data.count, by: partSize).map { $0..<min($0 + partSize, data.count) }
        return try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var etags: [Int: String] = [:]
            var next = 0
            func add() {
                let number = next + 1
                let part = data.subdata(in: ranges[next])
                next += 1
                group.addTask {
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
