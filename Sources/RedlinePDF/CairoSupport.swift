import CPoppler
import Foundation

/// Collects bytes cairo writes through a stream callback. Cairo calls back synchronously on the
/// calling thread, so a plain class passed as an unretained pointer is safe for the surface's lifetime.
final class CairoByteSink {
    var data = Data()

    /// The C callback cairo's `*_for_stream` / `write_to_png_stream` functions expect.
    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<CairoByteSink>.fromOpaque(closure).takeUnretainedValue()
        if length > 0, let bytes {
            sink.data.append(bytes, count: Int(length))
        }
        return CAIRO_STATUS_SUCCESS
    }
}

extension cairo_status_t {
    /// Cairo's own description of a status.
    var message: String {
        String(cString: cairo_status_to_string(self))
    }
}

/// Renders poppler pages into PNG bytes.
enum PageRenderer {
    /// Largest image we agree to allocate, in pixels per side and in total (about 400 MB of ARGB).
    static let maxSide = 20_000
    static let maxPixels = 100_000_000

    static func render(page: OpaquePointer, scale: Double) -> Result<Data, PDFError> {
        var width = 0.0
        var height = 0.0
        poppler_page_get_size(page, &width, &height)
        guard width.isFinite, height.isFinite, width > 0, height > 0 else {
            return .failure(.renderFailed("the page has no size"))
        }
        let pixelWidth = (width * scale).rounded(.up)
        let pixelHeight = (height * scale).rounded(.up)
        guard pixelWidth >= 1, pixelHeight >= 1, pixelWidth <= Double(maxSide), pixelHeight <= Double(maxSide),
            pixelWidth * pixelHeight <= Double(maxPixels)
        else {
            return .failure(.renderFailed("the image would be too large (\(Int(pixelWidth)) x \(Int(pixelHeight)) pixels)"))
        }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(pixelWidth), Int32(pixelHeight)) else {
            return .failure(.renderFailed("out of memory"))
        }
        defer { cairo_surface_destroy(surface) }
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else { return .failure(.renderFailed(surfaceStatus.message)) }
        guard let context = cairo_create(surface) else { return .failure(.renderFailed("out of memory")) }
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        cairo_scale(context, scale, scale)
        poppler_page_render(page, context)
        let status = cairo_status(context)
        cairo_destroy(context)
        guard status == CAIRO_STATUS_SUCCESS else { return .failure(.renderFailed(status.message)) }
        cairo_surface_flush(surface)
        let sink = CairoByteSink()
        let pngStatus = withExtendedLifetime(sink) {
            cairo_surface_write_to_png_stream(surface, CairoByteSink.write, Unmanaged.passUnretained(sink).toOpaque())
        }
        guard pngStatus == CAIRO_STATUS_SUCCESS else { return .failure(.renderFailed(pngStatus.message)) }
        return .success(sink.data)
    }
}
