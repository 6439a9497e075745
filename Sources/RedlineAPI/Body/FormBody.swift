import Foundation
import RedlineCore

/// A field of a form body: text, or an uploaded file.
enum FieldValue {
    case text(String)
    case file(Data)

    var text: String? {
        if case .text(let t) = self { return t }
        return nil
    }
}

/// Flat fields of a form body, whichever of the three encodings the clients use.
enum FormBody {
    /// `nil` for JSON bodies (the caller reads those with their structure); fields otherwise.
    static func fields(body: Data, contentType: String?) throws -> [(String, FieldValue)]? {
        switch mediaType(contentType) {
        case "application/json", "":
            return nil
        case "multipart/form-data":
            guard let boundary = MultipartForm.boundary(fromContentType: contentType ?? "") else {
                throw RedlineError.validation(detail: "The multipart Content-Type has no boundary parameter.", fields: [:])
            }
            do {
                return try MultipartForm.parse(body, boundary: boundary).map {
                    ($0.name, $0.filename == nil ? .text(String(decoding: $0.body, as: UTF8.self)) : .file($0.body))
                }
            } catch {
                throw RedlineError.validation(detail: "Malformed multipart body: \(error.description).", fields: [:])
            }
        case "application/x-www-form-urlencoded":
            return URLEncodedForm.parse(body).map { ($0.0, .text($0.1)) }
        case let other:
            throw UnsupportedMediaType(contentType: other)
        }
    }

    /// A top-level JSON object.
    static func jsonObject(_ body: Data) throws -> [String: Any] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: body)
        } catch {
            throw RedlineError.validation(detail: "The request body is not valid JSON.", fields: [:])
        }
        guard let root = object as? [String: Any] else {
            throw RedlineError.validation(detail: "The request body must be a JSON object.", fields: [:])
        }
        return root
    }

    static func mediaType(_ contentType: String?) -> String {
        (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// `true`, `True`, `TRUE`, `1` and the false forms; the empty string is false.
    static func parseBool(_ text: String, field: String) throws -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off", "": return false
        default: throw RedlineError.invalid(field, "must be true or false, not '\(text)'")
        }
    }

    /// A JSON boolean, or a string in any of the forms `parseBool` accepts.
    static func jsonBool(_ value: Any, field: String) throws -> Bool {
        if let s = value as? String { return try parseBool(s, field: field) }
        if let b = value as? Bool { return b }
        throw RedlineError.invalid(field, "must be true or false")
    }

    static func optionalString(_ value: Any?, field: String) throws -> String? {
        switch value {
        case nil, is NSNull: return nil
        case let s as String: return s
        default: throw RedlineError.invalid(field, "must be a string")
        }
    }
}

/// A body in a media type the API does not read.
struct UnsupportedMediaType: Error {
    var contentType: String
}
