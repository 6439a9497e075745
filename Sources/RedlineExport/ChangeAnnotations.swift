import Foundation

enum DocumentSide: Sendable {
    case left, right
}

/// Turns changes into annotation specs for one side of the comparison.
enum ChangeAnnotations {
    /// Maps a region's page and rectangle (source document, displayed coordinates) to an output page and
    /// rectangle; nil drops it. Identity for `left`/`right`/`single_page`; scaled and offset for `combined`.
    typealias Placement = (_ pageIndex: Int, _ rect: Rect) -> (page: Int, rect: Rect)?

    static func subject(_ kind: ExportChangeKind) -> String {
        switch kind {
        case .match: return "Match"
        case .insert: return "Insertion"
        case .delete: return "Deletion"
        case .replace: return "Replacement"
        case .style: return "Style change"
        case .move: return "Move"
        }
    }

    static func color(_ kind: ExportChangeKind) -> RGBColor {
        switch kind {
        case .insert: return .insert
        case .delete: return .delete
        case .replace: return .replace
        case .style: return .style
        case .move, .match: return .move
        }
    }

    /// Whether a change of `kind` is highlighted on `side`.
    static func highlights(_ kind: ExportChangeKind, on side: DocumentSide) -> Bool {
        switch kind {
        case .match: return false
        case .insert: return side == .right
        case .delete: return side == .left
        case .replace, .style, .move: return true
        }
    }

    /// /Contents of a highlight: the changed text (with the other side for replacements and styles).
    static func contents(of change: ExportChange, side: DocumentSide) -> String {
        switch change.kind {
        case .match, .move:
            return side == .left ? change.leftDisplayText : change.rightDisplayText
        case .insert:
            return change.rightDisplayText
        case .delete:
            return change.leftDisplayText
        case .replace:
            return "\(change.leftDisplayText) → \(change.rightDisplayText)"
        case .style:
            let text = side == .left ? change.leftDisplayText : change.rightDisplayText
            let before = change.stylesInfo?.leftStyles?.first?.summary ?? ""
            let after = change.stylesInfo?.rightStyles?.first?.summary ?? ""
            if before.isEmpty && after.isEmpty { return text }
            return "\(text) (\(before) → \(after))"
        }
    }

    /// One highlight per change that shows on `side`, with all its rectangles (line fragments).
    static func highlights(for changes: [ExportChange], side: DocumentSide, placement: Placement) -> [AnnotationSpec] {
        var specs: [AnnotationSpec] = []
        for change in changes where highlights(change.kind, on: side) {
            guard let region = side == .left ? change.leftRegion : change.rightRegion else { continue }
            var page: Int?
            var rects: [Rect] = []
            for rect in region.usableRectangles {
                guard let placed = placement(region.pageIndex, rect) else { continue }
                if page == nil { page = placed.page }
                if placed.page == page { rects.append(placed.rect) }
            }
            guard let page, !rects.isEmpty else { continue }
            specs.append(
                .highlight(
                    page: page, rectangles: rects, color: color(change.kind),
                    contents: contents(of: change, side: side), subject: subject(change.kind)))
        }
        return specs
    }

    /// Caret markers at each deletion's `deletionMark` on the right document; /Contents is the deleted text.
    static func deletionMarkers(for changes: [ExportChange], placement: Placement) -> [AnnotationSpec] {
        var specs: [AnnotationSpec] = []
        for change in changes where change.kind == .delete {
            guard let mark = change.deletionMark, let x = mark.x, let y = mark.y else { continue }
            // Size the marker like the deleted text's line when we know it.
            let lineHeight = change.leftRegion?.usableRectangles.first?.height ?? 12
            let probe = Rect(left: x, top: y, right: x + 1, bottom: y + lineHeight)
            guard let placed = placement(mark.pageIndex, probe) else { continue }
            specs.append(
                .deletionMarker(
                    page: placed.page, at: DisplayPoint(x: placed.rect.left, y: placed.rect.top),
                    size: placed.rect.height, contents: change.leftDisplayText))
        }
        return specs
    }
}

/// `left`, `right` and `single_page`: the original PDF with annotations added.
enum AnnotatedExport {
    static func render(_ request: ExportRequest, details: ExportChanges) throws -> ExportResult {
        let side: DocumentSide = request.kind == .left ? .left : .right
        let source = side == .left ? request.leftPDF : request.rightPDF
        let pageCount = try PopplerFile.validate(source, name: side == .left ? request.leftName : request.rightName)
        let identity: ChangeAnnotations.Placement = { page, rect in
            page >= 0 && page < pageCount ? (page, rect) : nil
        }
        var specs = ChangeAnnotations.highlights(for: details.changes, side: side, placement: identity)
        if request.kind == .singlePage {
            specs += ChangeAnnotations.deletionMarkers(for: details.changes, placement: identity)
        }
        let outcome = try PDFAnnotator.annotate(pdf: source, with: specs, date: request.date)
        return ExportResult(
            data: outcome.pdf, contentType: ExportResult.pdfType, fileExtension: "pdf", annotationCount: outcome.written)
    }
}
