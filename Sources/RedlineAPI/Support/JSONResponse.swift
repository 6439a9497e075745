import Foundation
import Hummingbird
import NIOCore

/// Builders for the JSON, HTML and binary responses the API sends.
package enum Responses {
    package static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    package static func json(_ object: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return json(try encoder.encode(object), status: status)
    }

    /// A DRF-style error body: `{"detail": "...", "<field>": ["..."]}`.
    package static func error(_ status: HTTPResponse.Status, _ detail: String, fields: [String: [String]] = [:]) -> Response {
        var body: [String: Any] = ["detail": detail]
        for (field, messages) in fields where field != "detail" { body[field] = messages }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return json(data, status: status)
    }

    package static func html(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    package static func bytes(_ data: Data, contentType: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
