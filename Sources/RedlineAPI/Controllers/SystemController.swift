import Foundation
import Hummingbird
import NIOCore
import RedlineCore
import RedlineOpenAPI

/// Probes, the OpenAPI document, the docs page and static assets.
struct SystemController {
    /// Checks behind `/readyz`: each returns nil when healthy or says what is wrong.
    let readinessChecks: [@Sendable () async -> String?]
    /// The Prometheus exposition served at `/metrics`.
    let metrics: @Sendable () -> String
    /// Whether `/` leads to the docs (it leads to the web app when that is served).
    var docsAtRoot = true

    func addRoutes(to router: Router<RedlineRequestContext>) {
        addProbes(to: router)
        router.get("api/v1/openapi.json") { _, _ in
            var response = Responses.json(OpenAPIDocument.json)
            response.headers[.cacheControl] = "public, max-age=300"
            return response
        }
        router.get("docs") { _, _ in
            Responses.html(StaticAssets.text("docs/index.html"))
        }
        router.get("static/**") { request, _ -> Response in
            let path = String(request.uri.path.dropFirst("/static/".count))
            guard let data = StaticAssets.data(path) else { return Responses.error(.notFound, "No such asset.") }
            return Responses.bytes(data, contentType: StaticAssets.contentType(for: path), headers: [.cacheControl: "public, max-age=300"])
        }
        if docsAtRoot {
            router.get("/") { _, _ in
                Response(status: .seeOther, headers: [.location: "/docs"])
            }
        }
    }

    /// `/healthz` (the process answers), `/readyz` (its dependencies answer) and `/metrics`: every role has them.
    func addProbes(to router: Router<RedlineRequestContext>) {
        router.get("healthz") { _, _ in try Responses.json(["status": "ok"]) }
        router.get("readyz") { _, _ in
            var problems: [String] = []
            for check in readinessChecks {
                if let problem = await check() { problems.append(problem) }
            }
            if problems.isEmpty { return try Responses.json(["status": "ready"]) }
            return Responses.error(.serviceUnavailable, problems.joined(separator: "; "))
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics())))
        }
    }
}
