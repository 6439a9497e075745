import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import RedlineCore

/// `POST /exports` and `GET /exports/{id}` (authenticated), and the signed download link that an
/// export's `url` points to (no credentials; valid for a limited time).
struct ExportController<Exports: ExportRepository, Comparisons: ComparisonRepository, Blobs: BlobStore> {
    let service: ExportService<Exports, Comparisons>
    let blobs: Blobs
    /// `REDLINE_PUBLIC_URL`, or nil to derive links from the request's Host.
    let publicURL: String?

    func addRoutes(authenticated: RouterGroup<RedlineRequestContext>, public group: RouterGroup<RedlineRequestContext>) {
        authenticated.post("exports", use: create)
        authenticated.get("exports/:identifier", use: get)
        group.get("exports/:identifier/download", use: download)
    }

    @Sendable func create(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        var request = request
        let body = Data(buffer: try await request.collectBody(upTo: 1_000_000))
        var comparison: String?
        var kind: String?
        var cover = false
        if let fields = try FormBody.fields(body: body, contentType: request.headers[.contentType]) {
            for (name, value) in fields {
                switch name {
                case "comparison": comparison = value.text
                case "kind": kind = value.text
                case "include_cover_page": cover = try FormBody.parseBool(value.text ?? "", field: "include_cover_page")
                default: continue
                }
            }
        } else {
            let root = try FormBody.jsonObject(body)
            comparison = try FormBody.optionalString(root["comparison"], field: "comparison")
            kind = try FormBody.optionalString(root["kind"], field: "kind")
            if let value = root["include_cover_page"], !(value is NSNull) { cover = try FormBody.jsonBool(value, field: "include_cover_page") }
        }
        let export = try await service.create(accountID: account.id, comparison: comparison, kind: kind, includeCoverPage: cover)
        return try Responses.json(payload(export, request: request), status: .created)
    }

    @Sendable func get(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let export = try await service.get(accountID: account.id, identifier: try context.parameters.require("identifier"))
        return try Responses.json(payload(export, request: request))
    }

    @Sendable func download(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let identifier = try context.parameters.require("identifier")
        let query = request.uri.queryParameters
        guard let account = query["account"].map(String.init), let validUntil = query["valid_until"].flatMap({ Int64(String($0)) }),
            let signature = query["signature"].map(String.init)
        else {
            return Responses.error(.forbidden, "This download link is incomplete.")
        }
        switch service.links.verify(accountID: account, identifier: identifier, validUntil: validUntil, signature: signature) {
        case .invalid: return Responses.error(.forbidden, "This download link's signature is not valid.")
        case .expired: return Responses.error(.forbidden, "This download link has expired; get a fresh one from GET /exports/\(identifier).")
        case .valid: break
        }
        let export = try await service.get(accountID: account, identifier: identifier)
        let notReady = Responses.error(.notFound, export.status == .failed ? "The export failed." : "The export is not ready yet.")
        guard export.status == .ready, let key = export.blobKey else { return notReady }
        let filename = "\(export.comparisonIdentifier)-\(export.kind.rawValue).\(export.kind.fileExtension)"
        // Object storage serves the file itself (S3: a pre-signed GET valid for at most
        // `directDownloadLifetime` seconds and never beyond this link's own validity).
        let lifetime = Int(min(Int64(Self.directDownloadLifetime), max(1, validUntil - Int64(Date().timeIntervalSince1970))))
        if let direct = try await blobs.directDownloadURL(key, lifetime: lifetime, contentType: export.kind.contentType, filename: filename) {
            return Response(status: .found, headers: [.location: direct.absoluteString, .cacheControl: "private, no-store"])
        }
        guard let data = try await blobs.get(key) else { return notReady }
        return Responses.bytes(
            data, contentType: export.kind.contentType,
            headers: [.contentDisposition: "attachment; filename=\"\(filename)\"", .cacheControl: "private, no-store"])
    }

    /// Longest lifetime of a pre-signed object-storage URL the download link redirects to: long
    /// enough to start a download, short enough that a leaked URL is soon useless.
    static var directDownloadLifetime: Int { 300 }

    /// The Draftable export object: `failed` always a boolean, `url` always present.
    func payload(_ e: Export, request: Request) -> ExportPayload {
        let base = publicURL ?? Self.origin(of: request)
        return ExportPayload(
            identifier: e.identifier, comparison: e.comparisonIdentifier, kind: e.kind.rawValue, ready: e.status.isFinished,
            failed: e.status == .failed, error_message: e.status == .failed ? (e.errorMessage ?? "The export failed.") : nil,
            include_cover_page: e.includeCoverPage,
            url: "\(base)/api/v1/exports/\(e.identifier)/download?\(service.links.query(accountID: e.accountID, identifier: e.identifier))")
    }

    static func origin(of request: Request) -> String { RequestOrigin.of(request) }
}

struct ExportPayload: Encodable {
    var identifier: String
    var comparison: String
    var kind: String
    var ready: Bool
    var failed: Bool
    var error_message: String?
    var include_cover_page: Bool
    var url: String
}
