import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOFoundationCompat
import RedlineConverter
import RedlineCore
import ServiceLifecycle

/// The `redline converter` role's HTTP surface: `POST /convert?file_type=docx` (body: the file,
/// answer: the PDF), and three probes that exist for real — `/livez` (the process answers),
/// `/startupz` (LibreOffice has started once) and `/readyz` (a warm office process is free or busy).
public func buildConverterRouter(pool: OfficePool, maxFileBytes: Int, metrics: @escaping @Sendable () -> String) -> Router<RedlineRequestContext> {
    let router = Router(context: RedlineRequestContext.self)
    // Continues the worker's trace from the `traceparent` the remote converter client sends.
    router.add(middleware: TracingMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.get("metrics") { _, _ in
        let status = await pool.status
        Gauge(label: "redline_converter_processes", dimensions: [("state", "warm")]).record(status.warm)
        Gauge(label: "redline_converter_processes", dimensions: [("state", "busy")]).record(status.busy)
        Gauge(label: "redline_converter_processes", dimensions: [("state", "starting")]).record(status.starting)
        Gauge(label: "redline_converter_restarts").record(status.restarts)
        Gauge(label: "redline_converter_conversions").record(status.conversions)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics())))
    }
    router.get("livez") { _, _ in try Responses.json(["status": "alive"]) }
    router.get("healthz") { _, _ in try Responses.json(["status": "alive"]) }
    router.get("startupz") { _, _ in
        await pool.status.started ? try Responses.json(["status": "started"]) : Responses.error(.serviceUnavailable, "LibreOffice is still starting.")
    }
    router.get("readyz") { _, _ in
        await pool.isReady ? try Responses.json(["status": "ready"]) : Responses.error(.serviceUnavailable, "No warm LibreOffice process yet.")
    }
    router.get("status") { _, _ in try Responses.json(await pool.status) }
    router.post("convert") { request, _ -> Response in
        guard let raw = request.uri.queryParameters["file_type"], let type = FileType(rawValue: String(raw)), type.needsOfficeConversion else {
            throw RedlineError.invalid("file_type", "must be an Office type such as docx, pptx, rtf or odt")
        }
        var request = request
        let body = try await request.collectBody(upTo: maxFileBytes)
        do {
            let pdf = try await BasicDocumentConverter(office: pool).convertToPDF(Data(buffer: body), fileType: type)
            return Responses.bytes(pdf, contentType: "application/pdf")
        } catch RedlineError.badDocument(let message) {
            return Responses.error(.unprocessableContent, message)
        }
    }
    return router
}

/// Runs the office pool for the lifetime of a service group and stops its processes on shutdown.
public struct OfficePoolService: Service {
    public let pool: OfficePool

    public init(pool: OfficePool) {
        self.pool = pool
    }

    public func run() async throws {
        await pool.start()
        // Returns on graceful shutdown; throws (after stopping the office processes) on cancellation.
        do {
            try await gracefulShutdown()
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }
}
