import Foundation

extension ChangeDetails {
    /// A human-readable listing of the changes (matches omitted) and the summary, for
    /// `redline compare --format text`. Pages are shown 1-based.
    public func textReport() -> String {
        var lines: [String] = []
        let counts = summary.changeSummary
        let changeCount = changes.filter { $0.kind != .match }.count
        if !summary.anyChanges {
            lines.append("No differences found.")
        } else {
            lines.append("\(changeCount) change\(changeCount == 1 ? "" : "s"):")
        }
        var number = 0
        for change in changes where change.kind != .match {
            number += 1
            let where_ = Self.location(change)
            switch change.kind {
            case .insert:
                lines.append("\(number). Inserted \(where_): \(Self.quote(change.rightText))")
            case .delete:
                lines.append("\(number). Deleted \(where_): \(Self.quote(change.leftText))")
            case .replace:
                lines.append("\(number). Replaced \(where_): \(Self.quote(change.leftText)) -> \(Self.quote(change.rightText))")
            case .style:
                let before = change.stylesInfo.leftStyles.map(Self.describe).joined(separator: "; ")
                let after = change.stylesInfo.rightStyles.map(Self.describe).joined(separator: "; ")
                lines.append("\(number). Style changed \(where_): \(Self.quote(change.rightText)) (\(before) -> \(after))")
            case .move:
                lines.append("\(number). Moved \(where_): \(Self.quote(change.rightText))")
            case .match:
                break
            }
        }
        lines.append("")
        lines.append(
            "Summary: \(counts.insertions) insertion(s), \(counts.deletions) deletion(s), "
                + "\(counts.replacements) replacement(s), \(counts.styleChanges) style change(s), \(counts.moves) move(s); "
                + "\(counts.matchingWords) matching word(s).")
        let leftDoc = summary.leftDocumentSummary
        let rightDoc = summary.rightDocumentSummary
        lines.append("Left: \(leftDoc.pageCount) page(s), \(leftDoc.wordCount) word(s). Right: \(rightDoc.pageCount) page(s), \(rightDoc.wordCount) word(s).")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func location(_ change: Change) -> String {
        let leftPage = change.leftRegion.map { "left p.\($0.pageIndex + 1)" }
        let rightPage = change.rightRegion.map { "right p.\($0.pageIndex + 1)" }
        return "(" + [leftPage, rightPage].compactMap { $0 }.joined(separator: " -> ") + ")"
    }

    private static func quote(_ text: String?) -> String {
        guard let text else { return "\"\"" }
        let limit = 200
        let shown = text.count > limit ? String(text.prefix(limit)) + "..." : text
        return "\"" + shown + "\""
    }

    private static func describe(_ style: WireStyle) -> String {
        var parts = [style.font, String(format: "%.1fpt", style.size)]
        if !style.emphasis.isEmpty { parts.append(style.emphasis) }
        parts.append(style.color)
        return parts.joined(separator: " ")
    }
}
