/// Rewrites the repositories' portable `?` placeholders into PostgreSQL's numbered `$1…$n`.
///
/// A `?` inside a single-quoted string literal (including `E'…'` strings with backslash escapes),
/// a double-quoted identifier, a dollar-quoted body or a comment is left alone, so SQL such as
/// `SELECT '?' AS q, x = ?` keeps its literal.
public enum PostgresPlaceholders {
    /// Returns the translated SQL and how many placeholders it has.
    public static func translate(_ sql: String) -> (sql: String, count: Int) {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 16)
        var count = 0
        let chars = Array(sql.unicodeScalars)
        var i = 0
        func peek(_ offset: Int) -> Unicode.Scalar? { i + offset < chars.count ? chars[i + offset] : nil }
        func copy(_ range: Range<Int>) { for c in chars[range] { output.unicodeScalars.append(c) } }

        while i < chars.count {
            let c = chars[i]
            switch c {
            case "?":
                count += 1
                output += "$\(count)"
                i += 1
            case "'":
                let escapes = i > 0 && (chars[i - 1] == "E" || chars[i - 1] == "e")
                let end = endOfQuoted(chars, from: i, quote: "'", backslashEscapes: escapes)
                copy(i..<end)
                i = end
            case "\"":
                let end = endOfQuoted(chars, from: i, quote: "\"", backslashEscapes: false)
                copy(i..<end)
                i = end
            case "-" where peek(1) == "-":
                var end = i
                while end < chars.count && chars[end] != "\n" { end += 1 }
                copy(i..<end)
                i = end
            case "/" where peek(1) == "*":
                var end = i + 2
                while end < chars.count && !(chars[end] == "*" && end + 1 < chars.count && chars[end + 1] == "/") { end += 1 }
                end = min(end + 2, chars.count)
                copy(i..<end)
                i = end
            case "$":
                if let end = endOfDollarQuoted(chars, from: i) {
                    copy(i..<end)
                    i = end
                } else {
                    output.unicodeScalars.append(c)
                    i += 1
                }
            default:
                output.unicodeScalars.append(c)
                i += 1
            }
        }
        return (output, count)
    }

    /// Index just past the closing quote (a doubled quote is an escaped quote), or the end of input.
    private static func endOfQuoted(_ chars: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, backslashEscapes: Bool) -> Int {
        var i = start + 1
        while i < chars.count {
            if backslashEscapes && chars[i] == "\\" {
                i += 2
                continue
            }
            if chars[i] == quote {
                if i + 1 < chars.count && chars[i + 1] == quote {
                    i += 2
                    continue
                }
                return i + 1
            }
            i += 1
        }
        return chars.count
    }

    /// For `$tag$ … $tag$` bodies: index just past the closing tag, or nil when `$` does not open one.
    private static func endOfDollarQuoted(_ chars: [Unicode.Scalar], from start: Int) -> Int? {
        var j = start + 1
        while j < chars.count, chars[j] == "_" || chars[j].properties.isAlphabetic || (j > start + 1 && ("0"..."9").contains(chars[j])) {
            j += 1
        }
        guard j < chars.count, chars[j] == "$" else { return nil }
        let tag = Array(chars[start...j])
        var k = j + 1
        while k + tag.count <= chars.count {
            if Array(chars[k..<(k + tag.count)]) == tag { return k + tag.count }
            k += 1
        }
        return chars.count
    }
}
