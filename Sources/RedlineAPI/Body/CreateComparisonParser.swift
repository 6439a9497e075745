import Foundation
import RedlineCore

/// Reads a create-comparison request from whichever body the official clients send: nested JSON
/// (Python, Node), dotted multipart (all clients with files; Java always) or dotted url-encoded
/// (.NET). Booleans and times are accepted in every form those clients write.
enum CreateComparisonParser {
    static func parse(body: Data, contentType: String?) throws -> NewComparisonRequest {
        guard let fields = try FormBody.fields(body: body, contentType: contentType) else { return try parseJSON(body) }
        return try fromFields(fields)
    }

    /// Dotted fields (`left.file_type`, `left.file`, `public`…) → request.
    static func fromFields(_ fields: [(String, FieldValue)]) throws -> NewComparisonRequest {
        var request = NewComparisonRequest()
        var sides: [String: NewSide] = [:]
        for (name, value) in fields {
            let text = value.text
            let path = name.split(separator: ".", maxSplits: 1).map(String.init)
            if path.count == 2, path[0] == "left" || path[0] == "right" {
                var side = sides[path[0]] ?? NewSide()
                switch (path[1], value) {
                case ("file", .file(let data)): side.file = data
                case ("file", .text(let t)): side.file = Data(t.utf8)
                case ("file_type", _): side.fileType = text
                case ("source_url", _): side.sourceURL = text.flatMap { $0.isEmpty ? nil : $0 }
                case ("display_name", _): side.displayName = text
                default: continue
                }
                sides[path[0]] = side
                continue
            }
            switch name {
            case "identifier": request.identifier = text.flatMap { $0.isEmpty ? nil : $0 }
            case "public": request.isPublic = try FormBody.parseBool(text ?? "", field: "public")
            case "expiry_time":
                if let t = text, !t.isEmpty { request.expiryTime = try parseTime(t, field: "expiry_time") }
            default: continue
            }
        }
        request.left = sides["left"]
        request.right = sides["right"]
        return request
    }

    static func parseJSON(_ body: Data) throws -> NewComparisonRequest {
        let root = try FormBody.jsonObject(body)
        var request = NewComparisonRequest()
        request.identifier = try FormBody.optionalString(root["identifier"], field: "identifier")
        if let value = root["public"], !(value is NSNull) {
            request.isPublic = try FormBody.jsonBool(value, field: "public")
        }
        if let time = try FormBody.optionalString(root["expiry_time"], field: "expiry_time") {
            request.expiryTime = try parseTime(time, field: "expiry_time")
        }
        for name in ["left", "right"] {
            guard let raw = root[name], !(raw is NSNull) else { continue }
            guard let dict = raw as? [String: Any] else { throw RedlineError.invalid(name, "must be an object") }
            var side = NewSide()
            side.fileType = try FormBody.optionalString(dict["file_type"], field: "\(name).file_type")
            side.sourceURL = try FormBody.optionalString(dict["source_url"], field: "\(name).source_url")
            side.displayName = try FormBody.optionalString(dict["display_name"], field: "\(name).display_name")
            if dict["file"] != nil, !(dict["file"] is NSNull) {
                throw RedlineError.invalid("\(name).file", "files must be uploaded as multipart/form-data, not inside JSON")
            }
            if name == "left" { request.left = side } else { request.right = side }
        }
        return request
    }

    static func parseTime(_ text: String, field: String) throws -> Date {
        guard let date = Timestamp.parse(text) else {
            throw RedlineError.invalid(field, "must be an ISO-8601 time such as 2030-01-31T12:00:00Z, not '\(text)'")
        }
        return date
    }
}
