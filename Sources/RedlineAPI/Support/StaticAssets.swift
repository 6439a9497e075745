import Foundation

/// The viewer's HTML templates, styles and scripts, shipped as package resources.
package enum StaticAssets {
    /// The `Resources` folder copied into the target's bundle. Foundation reports a flat bundle's
    /// resource URL either as the bundle itself or as its `Resources` subfolder, depending on the platform.
    static let root: URL? = {
        let bundle = Bundle.module
        let candidates = [bundle.bundleURL.appendingPathComponent("Resources"), bundle.resourceURL].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("viewer/viewer.html").path) }
    }()

    static func data(_ path: String) -> Data? {
        guard !path.contains(".."), let root else { return nil }
        return try? Data(contentsOf: root.appendingPathComponent(path))
    }

    static func text(_ path: String) -> String {
        data(path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    package static func contentType(for path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "html": "text/html; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "json": "application/json"
        default: "application/octet-stream"
        }
    }
}

/// Escaping for text placed into HTML and for JSON placed inside a `<script>` element.
package enum HTMLEscaping {
    package static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    package static func scriptJSON(_ json: String) -> String {
        json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "\u{2028}", with: "\\u2028")
            .replacingOccurrences(of: "\u{2029}", with: "\\u2029")
    }
}
