import CPoppler
import Foundation
import RedlinePDF

/// `combined`: each output page shows left page i | right page i, scaled to fit a landscape page, drawn
/// as vectors (poppler onto a cairo PDF surface keeps text selectable), then both sides' highlights are
/// added as annotations. An optional cover page comes first.
enum CombinedExport {
    static let margin = 18.0
    static let gutter = 18.0
    static let labelBand = 16.0
    static let labelStyle = PDFTextStyle(font: "DejaVu Sans", size: 8, color: "#555555")

    /// Where one source page sits on an output page: output = origin + scale * source.
    struct Slot {
        var x: Double
        var y: Double
        var scale: Double
        var width: Double
        var height: Double

        func place(_ rect: Rect) -> Rect {
            Rect(left: x + rect.left * scale, top: y + rect.top * scale, right: x + rect.right * scale, bottom: y + rect.bottom * scale)
        }
    }

    struct Layout {
        var pageWidth: Double
        var pageHeight: Double
        var pairCount: Int
        var left: [Slot]
        var right: [Slot]
    }

    static func render(_ request: ExportRequest, details: ExportChanges) throws -> ExportResult {
        let leftFile = try PopplerFile(data: request.leftPDF, name: request.leftName)
        let rightFile = try PopplerFile(data: request.rightPDF, name: request.rightName)
        let layout = makeLayout(left: leftFile, right: rightFile)
        let coverOffset = request.includeCoverPage ? 1 : 0
        let overlay = try PopplerFile(
            data: try overlayPDF(request, details: details, layout: layout, left: leftFile, right: rightFile),
            name: "labels")
        let pdf = try draw(layout: layout, left: leftFile, right: rightFile, overlay: overlay, cover: request.includeCoverPage)

        let leftPlacement: ChangeAnnotations.Placement = { page, rect in
            page >= 0 && page < layout.left.count ? (page + coverOffset, layout.left[page].place(rect)) : nil
        }
        let rightPlacement: ChangeAnnotations.Placement = { page, rect in
            page >= 0 && page < layout.right.count ? (page + coverOffset, layout.right[page].place(rect)) : nil
        }
        let specs =
            ChangeAnnotations.highlights(for: details.changes, side: .left, placement: leftPlacement)
            + ChangeAnnotations.highlights(for: details.changes, side: .right, placement: rightPlacement)
        let outcome = try PDFAnnotator.annotate(pdf: pdf, with: specs, date: request.date)
        return ExportResult(
            data: outcome.pdf, contentType: ExportResult.pdfType, fileExtension: "pdf", annotationCount: outcome.written)
    }

    /// A landscape page shaped like the documents' first page (A4 portrait -> A4 landscape); each side
    /// gets half the width and every source page is scaled to fit its half, centred, top-aligned.
    static func makeLayout(left: PopplerFile, right: PopplerFile) -> Layout {
        var reference = left.pageSize(0)
        if reference.width <= 0 || reference.height <= 0 { reference = right.pageSize(0) }
        if reference.width <= 0 || reference.height <= 0 { reference = (595.2756, 841.8898) }
        let pageWidth = max(reference.width, reference.height)
        let pageHeight = min(reference.width, reference.height)
        let halfWidth = (pageWidth - 2 * margin - gutter) / 2
        let availableHeight = pageHeight - 2 * margin - labelBand
        func slot(size: (width: Double, height: Double), column: Int) -> Slot {
            let width = max(size.width, 1)
            let height = max(size.height, 1)
            let scale = min(halfWidth / width, availableHeight / height)
            let columnX = margin + Double(column) * (halfWidth + gutter)
            return Slot(
                x: columnX + (halfWidth - width * scale) / 2, y: margin + labelBand, scale: scale,
                width: width * scale, height: height * scale)
        }
        return Layout(
            pageWidth: pageWidth, pageHeight: pageHeight, pairCount: max(left.pageCount, right.pageCount),
            left: (0..<left.pageCount).map { slot(size: left.pageSize($0), column: 0) },
            right: (0..<right.pageCount).map { slot(size: right.pageSize($0), column: 1) })
    }

    /// Labels for every output page (and the cover), written with RedlinePDF so font fallback covers any
    /// script in document names; drawn underneath the pages.
    static func overlayPDF(
        _ request: ExportRequest, details: ExportChanges, layout: Layout, left: PopplerFile, right: PopplerFile
    ) throws -> Data {
        let size = PDFPageSize(width: layout.pageWidth, height: layout.pageHeight)
        var pages: [StyledPage] = []
        if request.includeCoverPage {
            pages.append(CoverPage.page(request, details: details, size: size, leftPages: left.pageCount, rightPages: right.pageCount))
        }
        let halfWidth = (layout.pageWidth - 2 * margin - gutter) / 2
        for index in 0..<layout.pairCount {
            var runs: [StyledRun] = []
            for (column, name, count) in [(0, request.leftName, left.pageCount), (1, request.rightName, right.pageCount)] {
                let x = margin + Double(column) * (halfWidth + gutter)
                let side = column == 0 ? "Left" : "Right"
                let label = index < count ? "\(side): \(name) — page \(index + 1) of \(count)" : "\(side): \(name) — no page \(index + 1)"
                runs.append(StyledRun(text: fitted(label, width: halfWidth), x: x, baseline: margin + 9, style: labelStyle))
            }
            pages.append(StyledPage(size: size, runs: runs))
        }
        do {
            return try StyledPDFWriter.pdf(pages: pages, title: "Redline comparison")
        } catch {
            throw ExportError("Could not write the page labels: \(error.description)")
        }
    }

    /// Shortens `text` with an ellipsis until it fits `width` in the label style.
    static func fitted(_ text: String, width: Double) -> String {
        if StyledPDFWriter.width(of: text, style: labelStyle) <= width { return text }
        var characters = Array(text)
        while characters.count > 4 {
            characters.removeLast(max(1, characters.count / 10))
            let candidate = String(characters) + "…"
            if StyledPDFWriter.width(of: candidate, style: labelStyle) <= width { return candidate }
        }
        return String(characters)
    }

    static func draw(layout: Layout, left: PopplerFile, right: PopplerFile, overlay: PopplerFile, cover: Bool) throws -> Data {
        let sink = ByteSink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        guard
            let surface = cairo_pdf_surface_create_for_stream(
                ByteSink.write, unmanaged.toOpaque(), layout.pageWidth, layout.pageHeight)
        else { throw ExportError("Could not create the combined PDF (out of memory)") }
        defer { cairo_surface_destroy(surface) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Redline comparison")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Redline")
        guard let context = cairo_create(surface) else { throw ExportError("Could not create the combined PDF (out of memory)") }
        defer { cairo_destroy(context) }

        var overlayIndex = 0
        if cover {
            overlay.draw(page: 0, on: context)
            CoverPage.drawLegend(on: context, pageWidth: layout.pageWidth)
            cairo_show_page(context)
            overlayIndex = 1
        }
        for index in 0..<layout.pairCount {
            overlay.draw(page: overlayIndex + index, on: context)
            if index < left.pageCount { drawPage(index, of: left, in: layout.left[index], on: context) }
            if index < right.pageCount { drawPage(index, of: right, in: layout.right[index], on: context) }
            cairo_show_page(context)
        }
        let drawStatus = cairo_status(context)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard drawStatus == CAIRO_STATUS_SUCCESS, status == CAIRO_STATUS_SUCCESS else {
            let failed = drawStatus != CAIRO_STATUS_SUCCESS ? drawStatus : status
            throw ExportError("Could not draw the combined PDF: \(String(cString: cairo_status_to_string(failed)))")
        }
        return sink.data
    }

    /// White sheet with a thin frame, then the page clipped to its box.
    static func drawPage(_ index: Int, of file: PopplerFile, in slot: Slot, on context: OpaquePointer) {
        cairo_save(context)
        cairo_rectangle(context, slot.x, slot.y, slot.width, slot.height)
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_fill_preserve(context)
        cairo_set_source_rgb(context, 0.6, 0.6, 0.6)
        cairo_set_line_width(context, 0.5)
        cairo_stroke_preserve(context)
        cairo_clip(context)
        cairo_translate(context, slot.x, slot.y)
        cairo_scale(context, slot.scale, slot.scale)
        file.draw(page: index, on: context)
        cairo_restore(context)
    }
}

/// Collects the bytes cairo writes. Cairo calls back synchronously on the calling thread.
final class ByteSink {
    var data = Data()

    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        if length > 0, let bytes { sink.data.append(bytes, count: Int(length)) }
        return CAIRO_STATUS_SUCCESS
    }
}
