import CPoppler
import Foundation
import RedlinePDF

/// A poppler document opened for drawing its pages onto our own cairo surfaces (RedlinePDF's
/// `PDFDocument` keeps its poppler handle private). One instance per export call; not shared across threads.
final class PopplerFile {
    private let document: OpaquePointer
    let pageCount: Int

    init(data: Data, name: String) throws {
        // RedlinePDF gives the human messages for damaged, encrypted and empty files.
        do {
            _ = try PDFDocument(data: data)
        } catch {
            throw ExportError("\(name): \(error.description)")
        }
        let bytes: OpaquePointer? = data.withUnsafeBytes { raw in g_bytes_new(raw.baseAddress, gsize(raw.count)) }
        guard let bytes else { throw ExportError("\(name): out of memory") }
        defer { g_bytes_unref(bytes) }
        var error: UnsafeMutablePointer<GError>?
        guard let opened = poppler_document_new_from_bytes(bytes, nil, &error) else {
            var message = "poppler could not open it"
            if let error {
                if let cMessage = error.pointee.message { message = String(cString: cMessage) }
                g_error_free(error)
            }
            throw ExportError("\(name): the file is not a valid PDF: \(message)")
        }
        if let error { g_error_free(error) }
        document = opened
        pageCount = Int(poppler_document_get_n_pages(opened))
        guard pageCount > 0 else { throw ExportError("\(name): the PDF has no pages") }
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(document))
    }

    /// Checks that `data` is a PDF poppler can open; returns its page count.
    static func validate(_ data: Data, name: String) throws -> Int {
        do {
            return try PDFDocument(data: data).pageCount
        } catch {
            throw ExportError("\(name): \(error.description)")
        }
    }

    /// Displayed size of page `index` (after /Rotate), in points.
    func pageSize(_ index: Int) -> (width: Double, height: Double) {
        guard let page = poppler_document_get_page(document, Int32(index)) else { return (0, 0) }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        var width = 0.0
        var height = 0.0
        poppler_page_get_size(page, &width, &height)
        return (width, height)
    }

    /// Draws page `index` onto `context` at the current transformation (vector output on PDF surfaces,
    /// so text stays text). Annotations with appearance streams are drawn too, as poppler does on screen.
    func draw(page index: Int, on context: OpaquePointer) {
        guard let page = poppler_document_get_page(document, Int32(index)) else { return }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        poppler_page_render(page, context)
    }
}
