import Foundation

/// `application/x-www-form-urlencoded` bodies and query strings.
package enum URLEncodedForm {
    package static func parse(_ body: Data) -> [(String, String)] {
        parse(String(decoding: body, as: UTF8.self))
    }

    package static func parse(_ text: String) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    static func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
