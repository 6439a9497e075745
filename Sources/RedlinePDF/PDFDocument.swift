import CPoppler
import Foundation

/// An opened PDF: page count and sizes, words with boxes and styles, page images.
///
/// Wraps one `PopplerDocument`. Poppler objects are not thread-safe, so every call takes an internal
/// lock; use one instance per thread for parallelism (open the bytes twice).
public final class PDFDocument: @unchecked Sendable {
    private let document: OpaquePointer
    private let lock = NSLock()
    /// Number of pages (always >= 1: a document without pages fails to open).
    public let pageCount: Int

    /// Opens PDF bytes. The bytes are copied. Never crashes on garbage: poppler reports damage as an error.
    public init(data: Data) throws(PDFError) {
        if data.isEmpty { throw PDFError.invalidPDF("the file is empty") }
        let bytes: OpaquePointer? = data.withUnsafeBytes { raw in g_bytes_new(raw.baseAddress, gsize(raw.count)) }
        guard let bytes else { throw PDFError.invalidPDF("out of memory") }
        defer { g_bytes_unref(bytes) }
        var error: UnsafeMutablePointer<GError>?
        let opened = poppler_document_new_from_bytes(bytes, nil, &error)
        guard let opened else {
            var message = "poppler could not open it"
            var encrypted = false
            if let error {
                if error.pointee.domain == poppler_error_quark(),
                    error.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue)
                {
                    encrypted = true
                }
                if let cMessage = error.pointee.message { message = String(cString: cMessage) }
                g_error_free(error)
            }
            if encrypted { throw PDFError.passwordProtected }
            throw PDFError.invalidPDF(message)
        }
        if let error { g_error_free(error) }
        let count = Int(poppler_document_get_n_pages(opened))
        if count <= 0 {
            g_object_unref(UnsafeMutableRawPointer(opened))
            throw PDFError.noPages
        }
        self.document = opened
        self.pageCount = count
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(document))
    }

    /// Size of page `index` in points as displayed (rotation applied); zero size for an invalid index.
    public func pageSize(at index: Int) -> PDFPageSize {
        lock.withLock {
            withPage(index) { page in
                var width = 0.0
                var height = 0.0
                poppler_page_get_size(page, &width, &height)
                return PDFPageSize(width: width, height: height)
            } ?? PDFPageSize(width: 0, height: 0)
        }
    }

    /// Renders page `index` at `scale` pixels per point onto white and returns PNG bytes.
    public func renderPNG(page index: Int, scale: Double) throws(PDFError) -> Data {
        guard index >= 0, index < pageCount else { throw PDFError.pageOutOfRange(index: index, pageCount: pageCount) }
        guard scale.isFinite, scale > 0 else { throw PDFError.renderFailed("scale must be a positive number") }
        let result: Result<Data, PDFError> = lock.withLock {
            withPage(index) { page in PageRenderer.render(page: page, scale: scale) }
                ?? .failure(.renderFailed("page \(index) could not be loaded"))
        }
        return try result.get()
    }

    /// The words of page `index` in reading order; empty for an invalid index or a page without text.
    public func words(page index: Int) -> [PDFWord] {
        lock.withLock {
            withPage(index) { page in
                let characters = PopplerTextReader.characters(of: page)
                return WordBuilder.words(from: characters, pageIndex: index)
            } ?? []
        }
    }

    /// Words of every page, page after page.
    public func allWords() -> [[PDFWord]] {
        (0..<pageCount).map { words(page: $0) }
    }

    /// Runs `body` with a page reference that is released afterwards. Caller holds the lock.
    private func withPage<T>(_ index: Int, _ body: (OpaquePointer) -> T) -> T? {
        guard index >= 0, index < pageCount, let page = poppler_document_get_page(document, Int32(index)) else {
            return nil
        }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        return body(page)
    }
}
