import CPoppler
import Foundation

/// Text drawn at a fixed position: `x` is the left edge and `baseline` the baseline, in points from
/// the top-left corner of the page. `style.font` is a fontconfig family ("DejaVu Sans", "Liberation Serif").
public struct StyledRun: Sendable, Equatable {
    public var text: String
    public var x: Double
    public var baseline: Double
    public var style: PDFTextStyle

    public init(text: String, x: Double, baseline: Double, style: PDFTextStyle) {
        self.text = text
        self.x = x
        self.baseline = baseline
        self.style = style
    }
}

/// One page to write: its size and the runs on it.
public struct StyledPage: Sendable, Equatable {
    public var size: PDFPageSize
    public var runs: [StyledRun]

    public init(size: PDFPageSize = .a4, runs: [StyledRun] = []) {
        self.size = size
        self.runs = runs
    }
}

/// Writes real PDFs (cairo's PDF surface, embedded font subsets) from positioned, styled runs.
///
/// Exists so tests and benchmarks can produce PDFs with exactly the fonts, weights, colours and
/// positions a scenario needs, and so `TextPDFWriter` and `FlowLayout` share one drawing path.
public enum StyledPDFWriter {
    /// Writes `pages` (at least one; an empty array writes one blank A4 page) as PDF bytes.
    public static func pdf(pages: [StyledPage], title: String? = nil) throws(PDFError) -> Data {
        let pages = pages.isEmpty ? [StyledPage()] : pages
        let sink = CairoByteSink()
        let first = pages[0].size
        let result: Result<Void, PDFError> = withExtendedLifetime(sink) {
            guard
                let surface = cairo_pdf_surface_create_for_stream(
                    CairoByteSink.write, Unmanaged.passUnretained(sink).toOpaque(), first.width, first.height)
            else { return .failure(.writeFailed("out of memory")) }
            defer { cairo_surface_destroy(surface) }
            if let title, !title.isEmpty {
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
            }
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Redline")
            guard let context = cairo_create(surface) else { return .failure(.writeFailed("out of memory")) }
            let text = CairoText(context: context, ownedSurface: nil)
            for page in pages {
                cairo_pdf_surface_set_size(surface, page.size.width, page.size.height)
                for run in page.runs where !run.text.isEmpty {
                    text.draw(run.text, x: run.x, baseline: run.baseline, style: run.style)
                }
                cairo_show_page(context)
            }
            let drawStatus = cairo_status(context)
            withExtendedLifetime(text) {}
            cairo_surface_finish(surface)
            let status = cairo_surface_status(surface)
            if drawStatus != CAIRO_STATUS_SUCCESS { return .failure(.writeFailed(drawStatus.message)) }
            if status != CAIRO_STATUS_SUCCESS { return .failure(.writeFailed(status.message)) }
            return .success(())
        }
        try result.get()
        return sink.data
    }

    /// Advance width of `text` in `style`, in points, as the writer would draw it.
    public static func width(of text: String, style: PDFTextStyle) -> Double {
        CairoText()?.width(text, style: style) ?? 0
    }
}
