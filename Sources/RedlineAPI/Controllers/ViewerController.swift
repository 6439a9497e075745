import Foundation
import Hummingbird
import RedlineCore
import RedlinePDF

/// The browser viewer: `/comparisons/viewer/{account_id}/{identifier}` with its status poll and
/// page images. Access follows Draftable: a public comparison, or a valid signature over
/// `(account_id, identifier, valid_until)` keyed with the account's token, in either policy form.
struct ViewerController<Accounts: AccountRepository, Comparisons: ComparisonRepository, Blobs: BlobStore> {
    let accounts: AccountService<Accounts>
    let comparisons: Comparisons
    let blobs: Blobs
    let frameAncestors: String
    /// Revocable links made in the web app (`?share=`); nil when the installation has no web app.
    let shares: (any ShareLinkRepository)?
    /// Per-account colours, zoom and frame-ancestors; nil: the defaults.
    let settings: (any AccountSettingsRepository)?

    /// Page images are rendered at this many pixels per point (144 dpi), crisp on high-density screens.
    static var pageScale: Int { 2 }

    func addRoutes(to group: RouterGroup<RedlineRequestContext>) {
        group.get("comparisons/viewer/:account/:identifier", use: page)
        group.get("comparisons/viewer/:account/:identifier/status", use: status)
        group.get("comparisons/viewer/:account/:identifier/pages/:side/:page", use: pageImage)
    }

    enum Access {
        case granted(Comparison?)
        case denied(HTTPResponse.Status, title: String, message: String)
    }

    /// Decides whether this request may see the comparison. A missing comparison is granted (as
    /// nil) only to a valid signature or with `wait`, so nothing leaks to strangers.
    func authorize(_ request: Request, context: RedlineRequestContext) async throws -> Access {
        let accountID = try context.parameters.require("account")
        let identifier = try context.parameters.require("identifier")
        let query = ViewerQuery(request.uri.query)
        guard let account = try await accounts.accounts.find(id: accountID) else {
            return .denied(.notFound, title: "Comparison not found", message: "There is no comparison at this address.")
        }
        let comparison = try await comparisons.find(accountID: accountID, identifier: identifier)
        if let share = query.share {
            guard let shares, let link = try await shares.find(tokenHash: TokenHasher.hash(share)), link.accountID == accountID,
                link.identifier == identifier, let comparison, comparison.creationTime == link.comparisonCreationTime
            else {
                return .denied(.forbidden, title: "Invalid link", message: "This shared link is not valid.")
            }
            guard link.isUsable(at: Timestamp.now()) else {
                return .denied(
                    .forbidden, title: "Link no longer valid",
                    message: "This shared link was revoked or has expired. Ask the person who shared it for a new link.")
            }
            return .granted(comparison)
        }
        if let signature = query.signature {
            guard let validUntil = query.validUntil else {
                return .denied(.forbidden, title: "Invalid link", message: "This signed link has no valid_until value.")
            }
            switch ViewerSignature.verify(
                accountID: accountID, identifier: identifier, validUntil: validUntil, signature: signature,
                token: try accounts.token(of: account))
            {
            case .valid:
                if comparison == nil && !query.wait {
                    return .denied(.notFound, title: "Comparison not found", message: "There is no comparison at this address.")
                }
                return .granted(comparison)
            case .expired:
                return .denied(.forbidden, title: "Link expired", message: "This viewer link has expired. Ask for a new link.")
            case .invalid:
                return .denied(.forbidden, title: "Invalid link", message: "This viewer link's signature is not valid.")
            }
        }
        guard let comparison else {
            if query.wait { return .granted(nil) }
            return .denied(.notFound, title: "Comparison not found", message: "There is no comparison at this address.")
        }
        guard comparison.isPublic else {
            return .denied(.forbidden, title: "Access denied", message: "This comparison is not public. Open it with a signed viewer link.")
        }
        return .granted(comparison)
    }

    @Sendable func page(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let viewer = try await viewerSettings(context)
        switch try await authorize(request, context: context) {
        case .denied(let status, let title, let message):
            return errorPage(status, title: title, message: message, viewer: viewer)
        case .granted(let comparison):
            let base = request.uri.path
            let query = request.uri.query.map { "?\($0)" } ?? ""
            let data = try await viewerData(
                comparison, identifier: try context.parameters.require("identifier"), base: base, query: query, viewer: viewer)
            let title = comparison.map { "\($0.left.displayName ?? "Left") ↔ \($0.right.displayName ?? "Right")" } ?? "Comparison"
            let html = StaticAssets.text("viewer/viewer.html")
                .replacingOccurrences(of: "{{TITLE}}", with: HTMLEscaping.text(title))
                .replacingOccurrences(of: "{{ASSET_BASE}}", with: "/static/viewer")
                .replacingOccurrences(of: "{{VIEWER_DATA}}", with: HTMLEscaping.scriptJSON(data))
            return Responses.html(html, headers: securityHeaders(viewer))
        }
    }

    /// The account's viewer settings (defaults for unknown accounts or without a settings store).
    func viewerSettings(_ context: RedlineRequestContext) async throws -> ViewerSettings {
        guard let settings, let accountID = context.parameters.get("account") else { return ViewerSettings() }
        return try await settings.settings(accountID: accountID).viewer
    }

    @Sendable func status(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        switch try await authorize(request, context: context) {
        case .denied(let status, _, let message):
            return Responses.error(status, message)
        case .granted(let comparison):
            let (state, message) = Self.state(comparison)
            return try Responses.json(["status": state, "errorMessage": message])
        }
    }

    @Sendable func pageImage(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        guard case .granted(let found) = try await authorize(request, context: context), let comparison = found,
            comparison.status == .ready
        else {
            return Responses.error(.notFound, "No such page.")
        }
        let sideName = try context.parameters.require("side")
        let pageText = try context.parameters.require("page").replacingOccurrences(of: ".png", with: "")
        guard let side = Side(rawValue: sideName), let index = Int(pageText), index >= 0,
            let pdfKey = comparison.side(side).pdfKey
        else {
            return Responses.error(.notFound, "No such page.")
        }
        let cacheKey = BlobKeys.pageImage(comparison, side, page: index, scale: Self.pageScale)
        let headers: HTTPFields = [.cacheControl: "private, max-age=3600"]
        // Rendered before and the store serves files itself (S3): the browser fetches the PNG from
        // there by a pre-signed URL, and the PNG never passes through this process.
        if try await blobs.contains(cacheKey),
            let direct = try await blobs.directAssetURL(cacheKey, lifetime: 3600, contentType: "image/png")
        {
            return Response(status: .found, headers: [.location: direct.absoluteString, .cacheControl: "private, max-age=1800"])
        }
        if let cached = try await blobs.get(cacheKey) { return Responses.bytes(cached, contentType: "image/png", headers: headers) }
        guard let pdf = try await blobs.get(pdfKey) else { return Responses.error(.notFound, "No such page.") }
        let scale = Double(Self.pageScale)
        let png: Data? = try await offload {
            let document = try PDFDocument(data: pdf)
            guard index < document.pageCount else { return nil }
            return try document.renderPNG(page: index, scale: scale)
        }
        guard let png else { return Responses.error(.notFound, "No such page.") }
        try await blobs.put(cacheKey, data: png)
        return Responses.bytes(png, contentType: "image/png", headers: headers)
    }

    static func state(_ comparison: Comparison?) -> (String, String?) {
        guard let comparison else { return ("missing", nil) }
        switch comparison.status {
        case .queued, .processing: return ("pending", nil)
        case .ready: return ("ready", nil)
        case .failed: return ("failed", comparison.errorMessage ?? "The comparison failed.")
        }
    }

    /// The JSON the viewer script reads.
    func viewerData(_ comparison: Comparison?, identifier: String, base: String, query: String, viewer: ViewerSettings) async throws -> String {
        let (state, message) = Self.state(comparison)
        var object: [String: Any] = [
            "identifier": identifier, "status": state, "errorMessage": message ?? NSNull(), "statusUrl": "\(base)/status\(query)",
            "colors": viewer.colors, "defaultZoom": viewer.defaultZoom, "changes": [Any](), "summary": [String: Any](),
            "left": ["displayName": comparison?.left.displayName ?? "Left", "pages": [Any]()],
            "right": ["displayName": comparison?.right.displayName ?? "Right", "pages": [Any]()],
        ]
        if let comparison, comparison.status == .ready, let details = try await blobs.get(BlobKeys.changeDetails(comparison)),
            let parsed = try JSONSerialization.jsonObject(with: details) as? [String: Any]
        {
            object["changes"] = parsed["changes"] ?? []
            object["summary"] = parsed["summary"] ?? [:]
            for side in Side.allCases {
                guard let sizes = try await pageSizes(comparison, side) else { continue }
                let pages: [[String: Any]] = sizes.enumerated().map { index, size in
                    ["width": size.width, "height": size.height, "image": "\(base)/pages/\(side.rawValue)/\(index).png\(query)"]
                }
                object[side.rawValue] = ["displayName": comparison.side(side).displayName ?? side.rawValue.capitalized, "pages": pages]
            }
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// Page sizes from their small cached document, or read from the PDF once and cached.
    func pageSizes(_ comparison: Comparison, _ side: Side) async throws -> [PDFPageSize]? {
        let cacheKey = BlobKeys.pageSizes(comparison, side)
        if let cached = try await blobs.get(cacheKey), let sizes = try? JSONDecoder().decode([PDFPageSize].self, from: cached) {
            return sizes
        }
        guard let key = comparison.side(side).pdfKey, let pdf = try await blobs.get(key) else { return nil }
        let sizes = try await offload { () -> [PDFPageSize] in
            let document = try PDFDocument(data: pdf)
            return (0..<document.pageCount).map { document.pageSize(at: $0) }
        }
        try await blobs.put(cacheKey, data: try JSONEncoder().encode(sizes))
        return sizes
    }

    func errorPage(_ status: HTTPResponse.Status, title: String, message: String, viewer: ViewerSettings) -> Response {
        let html = StaticAssets.text("viewer/error.html")
            .replacingOccurrences(of: "{{TITLE}}", with: HTMLEscaping.text(title))
            .replacingOccurrences(of: "{{MESSAGE}}", with: HTMLEscaping.text(message))
            .replacingOccurrences(of: "{{ASSET_BASE}}", with: "/static/viewer")
        return Responses.html(html, status: status, headers: securityHeaders(viewer))
    }

    func securityHeaders(_ viewer: ViewerSettings) -> HTTPFields {
        let frameAncestors = viewer.frameAncestors ?? self.frameAncestors
        return [
            .contentSecurityPolicy:
                "default-src 'self'; img-src 'self' data:\(blobs.directURLOrigin.map { " " + $0 } ?? ""); style-src 'self'; script-src 'self'; frame-ancestors \(frameAncestors)",
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
            .cacheControl: "no-store",
        ]
    }
}

/// The viewer's query: `wait` (with or without a value), `valid_until`, `signature`.
struct ViewerQuery {
    var wait = false
    var validUntil: Int64?
    var signature: String?
    /// A web-app share link's token.
    var share: String?

    init(_ query: String?) {
        for (key, value) in URLEncodedForm.parse(query ?? "") {
            switch key {
            case "wait": wait = !["false", "0"].contains(value.lowercased())
            case "valid_until": validUntil = Int64(value) ?? Double(value).map { Int64($0) }
            case "signature": signature = value
            case "share": share = value
            default: continue
            }
        }
    }
}
