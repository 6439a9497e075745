import Foundation

/// Writes `ChangeDetails` as JSON by hand so the keys come out in the documented (Draftable) order
/// with explicit nulls, byte-for-byte stable across platforms. `JSONEncoder` orders keys by hash.
struct WireJSON {
    private var output = ""

    static func encode(_ details: ChangeDetails) -> Data {
        var writer = WireJSON()
        writer.output.reserveCapacity(256 * (details.changes.count + 4))
        writer.write(details)
        return Data(writer.output.utf8)
    }

    private mutating func write(_ details: ChangeDetails) {
        output += "{\"changes\":["
        for (index, change) in details.changes.enumerated() {
            if index > 0 { output += "," }
            write(change)
        }
        output += "],\"summary\":"
        write(details.summary)
        output += "}"
    }

    private mutating func write(_ change: Change) {
        output += "{\"kind\":"
        string(change.kind.rawValue)
        output += ",\"text\":"
        optionalString(change.text)
        output += ",\"leftText\":"
        optionalString(change.leftText)
        output += ",\"rightText\":"
        optionalString(change.rightText)
        output += ",\"leftRegion\":"
        region(change.leftRegion)
        output += ",\"rightRegion\":"
        region(change.rightRegion)
        output += ",\"stylesInfo\":"
        stylesInfo(change.stylesInfo)
        output += ",\"deletionMark\":"
        if let mark = change.deletionMark {
            output += "{\"pageIndex\":\(mark.pageIndex),\"point\":["
            output += mark.point.map(Self.number).joined(separator: ",")
            output += "]}"
        } else {
            output += "null"
        }
        output += "}"
    }

    private mutating func region(_ region: ChangeRegion?) {
        guard let region else {
            output += "null"
            return
        }
        output += "{\"pageIndex\":\(region.pageIndex),\"rectangles\":["
        for (index, rect) in region.rectangles.enumerated() {
            if index > 0 { output += "," }
            output += "{\"left\":\(Self.number(rect.left)),\"top\":\(Self.number(rect.top)),"
            output += "\"right\":\(Self.number(rect.right)),\"bottom\":\(Self.number(rect.bottom))}"
        }
        output += "]}"
    }

    private mutating func stylesInfo(_ info: StylesInfo) {
        output += "{\"leftStyles\":"
        styles(info.leftStyles)
        output += ",\"rightStyles\":"
        styles(info.rightStyles)
        output += ",\"leftStyleMap\":"
        styleMap(info.leftStyleMap)
        output += ",\"rightStyleMap\":"
        styleMap(info.rightStyleMap)
        output += "}"
    }

    private mutating func styles(_ styles: [WireStyle]) {
        output += "["
        for (index, style) in styles.enumerated() {
            if index > 0 { output += "," }
            output += "{\"color\":"
            string(style.color)
            output += ",\"font\":"
            string(style.font)
            output += ",\"emphasis\":"
            string(style.emphasis)
            output += ",\"size\":\(Self.number(style.size))}"
        }
        output += "]"
    }

    private mutating func styleMap(_ map: [String]?) {
        guard let map else {
            output += "null"
            return
        }
        output += "["
        for (index, entry) in map.enumerated() {
            if index > 0 { output += "," }
            string(entry)
        }
        output += "]"
    }

    private mutating func write(_ summary: ChangeSummaryDocument) {
        let counts = summary.changeSummary
        output += "{\"anyChanges\":\(summary.anyChanges),\"anyMatches\":\(summary.anyMatches),\"changeSummary\":{"
        output += "\"matches\":\(counts.matches),\"deletions\":\(counts.deletions),\"insertions\":\(counts.insertions),"
        output += "\"replacements\":\(counts.replacements),\"styleChanges\":\(counts.styleChanges),\"moves\":\(counts.moves),"
        output += "\"matchingWords\":\(counts.matchingWords),\"deletedLeftWords\":\(counts.deletedLeftWords),"
        output += "\"replacedLeftWords\":\(counts.replacedLeftWords),\"insertedRightWords\":\(counts.insertedRightWords),"
        output += "\"replacedRightWords\":\(counts.replacedRightWords)},"
        output += "\"leftDocumentSummary\":"
        document(summary.leftDocumentSummary)
        output += ",\"rightDocumentSummary\":"
        document(summary.rightDocumentSummary)
        output += "}"
    }

    private mutating func document(_ summary: DocumentSummary) {
        output += "{\"pageCount\":\(summary.pageCount),\"characterCount\":\(summary.characterCount),\"wordCount\":\(summary.wordCount)}"
    }

    private mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { output += "null" }
    }

    private mutating func string(_ value: String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// Shortest round-tripping decimal, always with a fraction part ("12.0"); non-finite as 0.
    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "0.0"
    }
}
