import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import RedlineAPI
import RedlineCore

/// A submitted form: text fields and uploaded files, from url-encoded or multipart bodies.
struct WebForm: Sendable {
    var fields: [String: String] = [:]
    var files: [String: (filename: String?, data: Data)] = [:]

    subscript(_ name: String) -> String? { fields[name] }

    /// Reads the body (at most `limit` bytes). A body too large or malformed is a `RedlineError`
    /// whose message says what to fix.
    static func read(_ request: Request, limit: Int) async throws -> WebForm {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw RedlineError.payloadTooLarge("The upload is larger than \(limit) bytes.")
        }
        let body = Data(buffer: buffer)
        let contentType = request.headers[.contentType] ?? ""
        var form = WebForm()
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = MultipartForm.boundary(fromContentType: contentType) else {
                throw RedlineError.validation(detail: "The multipart form has no boundary.", fields: [:])
            }
            do {
                for part in try MultipartForm.parse(body, boundary: boundary) {
                    if part.filename != nil {
                        form.files[part.name] = (part.filename, part.body)
                    } else {
                        form.fields[part.name] = String(decoding: part.body, as: UTF8.self)
                    }
                }
            } catch {
                throw RedlineError.validation(detail: "The upload was cut short or malformed (\(error.description)); try again.", fields: [:])
            }
        } else {
            for (key, value) in URLEncodedForm.parse(body) { form.fields[key] = value }
        }
        return form
    }
}
