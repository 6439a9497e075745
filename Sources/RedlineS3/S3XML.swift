import Foundation

/// Just enough XML reading for S3 and STS responses: the text of every element with a given
/// name. Their bodies are flat, machine-written documents, so a scanner beats pulling in an XML
/// parser (and libxml2) at runtime.
enum S3XML {
    /// The unescaped text of each `<name>…</name>` in document order (attributes allowed on the tag).
    static func values(_ name: String, in xml: String) -> [String] {
        var results: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(name)") {
            let afterName = rest[open.upperBound...]
            guard let next = afterName.first, next == ">" || next == " " || next == "/" else {
                rest = afterName
                continue
            }
            guard let tagEnd = afterName.firstIndex(of: ">") else { break }
            if tagEnd > afterName.startIndex, afterName[afterName.index(before: tagEnd)] == "/" {  // <name/>
                results.append("")
                rest = afterName[afterName.index(after: tagEnd)...]
                continue
            }
            let content = afterName[afterName.index(after: tagEnd)...]
            guard let close = content.range(of: "</\(name)>") else { break }
            results.append(unescape(String(content[..<close.lowerBound])))
            rest = content[close.upperBound...]
        }
        return results
    }

    static func value(_ name: String, in xml: String) -> String? { values(name, in: xml).first }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if c.value < 0x20 && c != "\t" && c != "\n" { out += "&#\(c.value);" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    static func unescape(_ text: String) -> String {
        var text = text
        if text.hasPrefix("<![CDATA["), text.hasSuffix("]]>") { return String(text.dropFirst(9).dropLast(3)) }
        guard text.contains("&") else { return text }
        var out = ""
        while let amp = text.firstIndex(of: "&") {
            out += text[..<amp]
            guard let semi = text[amp...].firstIndex(of: ";") else { break }
            let entity = String(text[text.index(after: amp)..<semi])
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let scalar: UInt32? =
                    entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let scalar, let u = Unicode.Scalar(scalar) { out.unicodeScalars.append(u) } else { out += "&\(entity);" }
            }
            text = String(text[text.index(after: semi)...])
        }
        return out + text
    }
}
