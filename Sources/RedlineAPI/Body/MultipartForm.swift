import Foundation

/// One field of a `multipart/form-data` body.
package struct MultipartPart: Sendable {
    package var name: String
    package var filename: String?
    package var contentType: String?
    package var body: Data
}

/// A minimal RFC 7578 parser for buffered bodies: enough for the Draftable clients (dotted field
/// names, file parts with or without filenames) and strict about structure, so a malformed body
/// is a clear 400 and never a crash.
package enum MultipartForm {
    package struct MalformedBody: Error, CustomStringConvertible {
        package var description: String
    }

    /// The boundary parameter of a `multipart/form-data` content type.
    package static func boundary(fromContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 200 ? nil : value
            }
        }
        return nil
    }

    package static func parse(_ body: Data, boundary: String) throws(MalformedBody) -> [MultipartPart] {
        let delimiter = Data("--\(boundary)".utf8)
        let crlf = Data("\r\n".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        guard let first = body.range(of: delimiter) else {
            throw MalformedBody(description: "the multipart body does not contain its boundary '\(boundary)'")
        }
        var parts: [MultipartPart] = []
        var cursor = first.upperBound
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { return parts }
            guard body[cursor...].starts(with: crlf) else {
                throw MalformedBody(description: "a multipart boundary is not followed by a line break")
            }
            cursor += crlf.count
            guard let headersRange = body.range(of: headerEnd, in: cursor..<body.endIndex) else {
                throw MalformedBody(description: "a multipart part has no end of headers")
            }
            let headerText = String(decoding: body[cursor..<headersRange.lowerBound], as: UTF8.self)
            let contentStart = headersRange.upperBound
            guard let next = body.range(of: crlf + delimiter, in: contentStart..<body.endIndex) else {
                throw MalformedBody(description: "a multipart part is not terminated by the boundary")
            }
            var part = MultipartPart(name: "", filename: nil, contentType: nil, body: body.subdata(in: contentStart..<next.lowerBound))
            for line in headerText.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if field == "content-disposition" {
                    let parameters = dispositionParameters(value)
                    part.name = parameters["name"] ?? ""
                    part.filename = parameters["filename"]
                } else if field == "content-type" {
                    part.contentType = value
                }
            }
            guard !part.name.isEmpty else {
                throw MalformedBody(description: "a multipart part has no name in its Content-Disposition header")
            }
            parts.append(part)
            cursor = next.upperBound
        }
    }

    /// `form-data; name="left.file"; filename="left.pdf"` → ["name": "left.file", "filename": "left.pdf"].
    static func dispositionParameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var index = value.startIndex
        // Skip the disposition type.
        guard let semicolon = value.firstIndex(of: ";") else { return result }
        index = value.index(after: semicolon)
        while index < value.endIndex {
            while index < value.endIndex, value[index] == " " || value[index] == ";" { index = value.index(after: index) }
            guard let equals = value[index...].firstIndex(of: "=") else { break }
            let key = value[index..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            index = value.index(after: equals)
            var parsed = ""
            if index < value.endIndex, value[index] == "\"" {
                index = value.index(after: index)
                while index < value.endIndex, value[index] != "\"" {
                    if value[index] == "\\", value.index(after: index) < value.endIndex { index = value.index(after: index) }
                    parsed.append(value[index])
                    index = value.index(after: index)
                }
                if index < value.endIndex { index = value.index(after: index) }
            } else {
                let end = value[index...].firstIndex(of: ";") ?? value.endIndex
                parsed = value[index..<end].trimmingCharacters(in: .whitespaces)
                index = end
            }
            result[key] = parsed
        }
        return result
    }
}
