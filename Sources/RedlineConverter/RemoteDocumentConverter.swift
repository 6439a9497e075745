import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RedlineCore

/// Sends Office files to the `redline converter` role over HTTP; PDF and TXT stay in-process.
public struct RemoteDocumentConverter: DocumentConverter {
    public let baseURL: String
    public let local: BasicDocumentConverter
    public let timeout: TimeInterval

    public init(baseURL: String, timeout: TimeInterval) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.local = BasicDocumentConverter(office: nil)
        self.timeout = timeout
    }

    public func convertToPDF(_ data: Data, fileType: FileType) async throws -> Data {
        guard fileType.needsOfficeConversion else { return try await local.convertToPDF(data, fileType: fileType) }
        var request = HTTPClientRequest(url: "\(baseURL)/convert?file_type=\(fileType.rawValue)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/octet-stream")
        request.body = .bytes(ByteBuffer(bytes: data))
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(timeout) + 30))
        } catch {
            throw RedlineError.transient("the converter at \(baseURL) could not be reached: \(error)")
        }
        var body = try await response.body.collect(upTo: 1 << 30)
        let bytes = Data(body.readBytes(length: body.readableBytes) ?? [])
        switch response.status.code {
        case 200: return bytes
        case 422:
            let detail = (try? JSONSerialization.jsonObject(with: bytes) as? [String: Any])?["detail"] as? String
            throw RedlineError.badDocument(detail ?? "The document could not be converted.")
        default:
            throw RedlineError.transient("the converter answered HTTP \(response.status.code)")
        }
    }
}
