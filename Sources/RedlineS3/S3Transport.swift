import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RedlineCore

/// A response from S3 with its body read.
struct S3Response: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: Data

    /// `Code: Message` from an S3 error document, or the status.
    var errorSummary: String {
        let xml = String(decoding: body, as: UTF8.self)
        let code = S3XML.value("Code", in: xml) ?? "HTTP \(status.code)"
        return S3XML.value("Message", in: xml).map { "\(code): \($0)" } ?? code
    }
}

/// Signs and sends S3 requests, retrying what is worth retrying (5xx, 429, connection failures)
/// with exponential backoff. Errors name the operation and key but never headers or credentials.
struct S3Transport: Sendable {
    let configuration: S3Configuration
    let http: HTTPClient
    let credentials: any AWSCredentialProvider
    let logger: Logger
    var maxAttempts = 4
    var timeout: TimeAmount = .seconds(15)
    var maxResponseBytes = 2 << 30

    func send(
        _ method: HTTPMethod, key: String, query: [(String, String)] = [], headers: [(String, String)] = [], body: Data? = nil,
        operation: String
    ) async throws -> S3Response {
        let url = configuration.url(forKey: key, query: query)
        let payloadHash = body.map(SigV4Signer.payloadHash) ?? SigV4Signer.emptyPayloadHash
        var attempt = 0
        while true {
            attempt += 1
            let failure: String
            do {
                let signer = SigV4Signer(credentials: try await currentCredentials(), region: configuration.region)
                var request = HTTPClientRequest(url: url.absoluteString)
                request.method = method
                for (name, value) in headers { request.headers.add(name: name, value: value) }
                for (name, value) in signer.sign(method: method.rawValue, url: url, headers: headers, payloadHash: payloadHash, date: Date()) {
                    request.headers.add(name: name, value: value)
                }
                if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
                let response = try await http.execute(request, timeout: timeout + .seconds(Int64((body?.count ?? 0) >> 20)), logger: logger)
                let data = method == .HEAD ? ByteBuffer() : try await response.body.collect(upTo: maxResponseBytes)
                let result = S3Response(status: response.status, headers: response.headers, body: Data(buffer: data))
                guard response.status.code >= 500 || response.status == .tooManyRequests else { return result }
                failure = result.errorSummary
            } catch let error as RedlineError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = "\(error)"
            }
            let description = "S3 \(operation) of '\(key)' in bucket \(configuration.bucket) failed (\(failure))"
            guard attempt < maxAttempts, !Task.isCancelled else {
                throw RedlineError.transient("\(description) after \(attempt) attempts.")
            }
            logger.warning("\(description); retrying")
            let delay = 0.2 * pow(2, Double(attempt - 1)) + Double.random(in: 0..<0.1)
            try await Task.sleep(for: .seconds(delay))
        }
    }

    private func currentCredentials() async throws -> AWSCredentials {
        do {
            return try await credentials.credentials()
        } catch {
            throw RedlineError.transient("S3 credentials are unavailable: \(error)")
        }
    }

    /// Throws a transient error naming the operation unless `response` has one of `expected` statuses.
    func check(_ response: S3Response, _ expected: Set<UInt>, operation: String, key: String) throws {
        guard expected.contains(response.status.code) else {
            throw RedlineError.transient(
                "S3 \(operation) of '\(key)' in bucket \(configuration.bucket) failed (\(response.errorSummary)).")
        }
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        var buffer = buffer
        self = buffer.readBytes(length: buffer.readableBytes).map { Data($0) } ?? Data()
    }
}
