import CPoppler
import Foundation
import RedlinePDF

/// The `combined` export's optional first page: title, both names, the change counts and the date.
enum CoverPage {
    static let left = 72.0

    static func page(_ request: ExportRequest, details: ExportChanges, size: PDFPageSize, leftPages: Int, rightPages: Int) -> StyledPage {
        let title = PDFTextStyle(font: "DejaVu Sans", size: 24, bold: true, color: "#222222")
        let heading = PDFTextStyle(font: "DejaVu Sans", size: 12, bold: true, color: "#222222")
        let body = PDFTextStyle(font: "DejaVu Sans", size: 11, color: "#333333")
        let muted = PDFTextStyle(font: "DejaVu Sans", size: 9, color: "#666666")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMMM yyyy, HH:mm 'UTC'"

        var runs: [StyledRun] = []
        var y = 90.0
        func line(_ text: String, _ style: PDFTextStyle, x: Double = left, advance: Double) {
            runs.append(StyledRun(text: text, x: x, baseline: y, style: style))
            y += advance
        }
        line("Comparison report", title, advance: 34)
        line("Left: \(request.leftName) (\(pages(leftPages)))", body, advance: 18)
        line("Right: \(request.rightName) (\(pages(rightPages)))", body, advance: 18)
        line("Exported \(formatter.string(from: request.date)) by Redline", muted, advance: 34)

        let counts = details.summary?.changeSummary
        let tally = Tally(details.changes)
        line("Changes", heading, advance: 20)
        let rows: [(String, Int)] = [
            ("Insertions", counts?.insertions ?? tally.insertions),
            ("Deletions", counts?.deletions ?? tally.deletions),
            ("Replacements", counts?.replacements ?? tally.replacements),
            ("Style changes", counts?.styleChanges ?? tally.styles),
            ("Moves", counts?.moves ?? tally.moves),
        ]
        let rowTop = y
        for (index, row) in rows.enumerated() {
            y = rowTop + Double(index) * 18
            runs.append(StyledRun(text: row.0, x: left + 22, baseline: y, style: body))
            runs.append(StyledRun(text: "\(row.1)", x: left + 150, baseline: y, style: body))
        }
        y = rowTop + Double(rows.count) * 18 + 16
        if let counts {
            let words: [(String, Int?)] = [
                ("matching words", counts.matchingWords), ("deleted words", counts.deletedLeftWords),
                ("inserted words", counts.insertedRightWords),
            ]
            var parts = words.compactMap { label, value in value.map { "\($0) \(label)" } }
            if let replacedLeft = counts.replacedLeftWords, let replacedRight = counts.replacedRightWords {
                parts.append("\(replacedLeft) → \(replacedRight) replaced words")
            }
            if !parts.isEmpty { line(parts.joined(separator: " · "), muted, advance: 18) }
        }
        if details.summary?.anyChanges == false || (details.summary == nil && tally.total == 0) {
            line("The documents are identical.", body, advance: 18)
        }
        return StyledPage(size: size, runs: runs)
    }

    /// Colour swatches beside the change rows (same colours as the annotations).
    static func drawLegend(on context: OpaquePointer, pageWidth: Double) {
        let colors: [RGBColor] = [.insert, .delete, .replace, .style, .move]
        // Rows start after title (90 + 34), three info lines (18 + 18 + 34) and the heading (20).
        let firstBaseline = 90.0 + 34 + 18 + 18 + 34 + 20
        for (index, color) in colors.enumerated() {
            let baseline = firstBaseline + Double(index) * 18
            cairo_save(context)
            cairo_rectangle(context, left, baseline - 10, 14, 12)
            cairo_set_source_rgba(context, color.red, color.green, color.blue, 0.55)
            cairo_fill(context)
            cairo_restore(context)
        }
    }

    private static func pages(_ count: Int) -> String { count == 1 ? "1 page" : "\(count) pages" }

    struct Tally {
        var insertions = 0, deletions = 0, replacements = 0, styles = 0, moves = 0

        init(_ changes: [ExportChange]) {
            for change in changes {
                switch change.kind {
                case .insert: insertions += 1
                case .delete: deletions += 1
                case .replace: replacements += 1
                case .style: styles += 1
                case .move: moves += 1
                case .match: break
                }
            }
        }

        var total: Int { insertions + deletions + replacements + styles + moves }
    }
}
