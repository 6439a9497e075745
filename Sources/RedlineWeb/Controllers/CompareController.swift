import Foundation
import Hummingbird
import RedlineAPI
import RedlineCore

/// The compare page (two drop zones), the upload, and the live progress view that turns into the
/// viewer.
struct CompareController<Users: UserRepository, Accounts: AccountRepository, Comparisons: ComparisonRepository & ComparisonHistory, Blobs: BlobStore> {
    let deps: WebDependencies<Users, Accounts, Comparisons, Blobs>
    let pages: WebPages

    /// How long the viewer link of a signed-in person stays valid.
    static var viewerLinkLifetime: TimeInterval { 12 * 3600 }

    func addRoutes(to group: RouterGroup<RedlineRequestContext>) {
        group.get("app", use: comparePage)
        group.post("app/compare", use: upload)
        group.get("app/comparisons/:identifier", use: progressPage)
        group.get("app/comparisons/:identifier/status", use: status)
        group.get("app/comparisons/:identifier/view", use: view)
    }

    @Sendable func comparePage(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        guard let user = context.user else { return WebGuard.signIn(returningTo: request) }
        let limits = try await deps.settings.settings(accountID: user.accountID)
        return pages.render("compare", compareValues(limits), context: WebContext(context))
    }

    func compareValues(_ settings: AccountSettings) -> [String: Any] {
        let maxBytes = min(deps.comparisons.maxFileBytes, settings.maxFileBytes ?? .max)
        return [
            "title": "Compare", "nav": "compare", "maxBytes": maxBytes,
            "maxSize": ByteCountFormatter.string(fromByteCount: Int64(maxBytes), countStyle: .file),
            "types": "PDF, Word (DOCX, DOC, DOCM), PowerPoint (PPTX, PPT, PPTM), RTF, ODT, ODP, XLSX, TXT",
        ]
    }

    /// `left` and `right` file fields; types are detected from the bytes. Answers JSON to the page
    /// script (`Accept: application/json`) and a redirect to plain form posts.
    @Sendable func upload(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        guard let user = context.user, let session = context.session else {
            if WebGuard.wantsJSON(request) { return Responses.error(.unauthorized, "Your session ended; sign in again.") }
            return WebGuard.signIn(returningTo: request)
        }
        let json = WebGuard.wantsJSON(request)
        let settings = try await deps.settings.settings(accountID: user.accountID)
        func failure(_ status: HTTPResponse.Status, _ message: String) -> Response {
            if json { return Responses.error(status, message) }
            var values = compareValues(settings)
            values["error"] = message
            return pages.render("compare", values, context: WebContext(context), status: status)
        }
        let form: WebForm
        do {
            form = try await WebForm.read(request, limit: 2 * deps.comparisons.maxFileBytes + 1_000_000)
        } catch let error as RedlineError {
            return failure(.badRequest, WebMessages.describe(error))
        }
        guard WebGuard.checkCSRF(request, form: form, expected: session.csrfToken, publicURL: deps.publicURL) else {
            return failure(.forbidden, "The page expired or the request came from another site. Reload the page and upload again.")
        }
        var sides: [Side: NewSide] = [:]
        for side in Side.allCases {
            let label = side == .left ? "original (left)" : "changed (right)"
            guard let file = form.files[side.rawValue], !file.data.isEmpty else {
                return failure(.badRequest, "Choose the \(label) document.")
            }
            guard let type = FileTypeDetector.detect(file.data, filename: file.filename) else {
                return failure(
                    .badRequest,
                    "The \(label) document '\(file.filename ?? "file")' is not a format Redline compares: use PDF, Word, PowerPoint, RTF, OpenDocument or plain text.")
            }
            let name = form["\(side.rawValue)_name"].flatMap { $0.isEmpty ? nil : $0 } ?? file.filename
            sides[side] = NewSide(fileType: type.rawValue, displayName: name.map { String($0.prefix(200)) }, file: file.data)
        }
        let comparison: Comparison
        do {
            comparison = try await deps.comparisons.create(
                accountID: user.accountID, request: NewComparisonRequest(left: sides[.left], right: sides[.right]))
        } catch let error as RedlineError {
            if case .payloadTooLarge(let message) = error { return failure(.contentTooLarge, message) }
            return failure(.badRequest, WebMessages.describe(error))
        }
        // `open`: the progress page turns into the viewer as soon as the comparison is ready.
        let progress = "/app/comparisons/\(comparison.identifier)?open=1"
        if json { return try Responses.json(["identifier": comparison.identifier, "progressUrl": progress], status: .created) }
        return WebPages.redirect(progress)
    }

    @Sendable func progressPage(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        guard let user = context.user else { return WebGuard.signIn(returningTo: request) }
        let identifier = try context.parameters.require("identifier")
        guard let comparison = try await deps.comparisons.comparisons.find(accountID: user.accountID, identifier: identifier) else {
            return notFound(context)
        }
        let shares = try await deps.shares.list(accountID: user.accountID, identifier: identifier)
        var values = ComparisonView.details(comparison, shares: shares, now: Timestamp.now())
        if QueryValues(request)["open"] != nil, comparison.status != .failed { values["autoOpen"] = true }
        return pages.render("comparison", values, context: WebContext(context))
    }

    @Sendable func status(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        guard let user = context.user else { return Responses.error(.unauthorized, "Your session ended; sign in again.") }
        let identifier = try context.parameters.require("identifier")
        guard let comparison = try await deps.comparisons.comparisons.find(accountID: user.accountID, identifier: identifier) else {
            return Responses.error(.notFound, "No comparison '\(identifier)' in your account.")
        }
        var body: [String: String] = [
            "status": comparison.status.rawValue, "stage": comparison.stage.rawValue, "label": ComparisonView.stageLabel(comparison),
        ]
        if comparison.status == .ready { body["viewerUrl"] = "/app/comparisons/\(identifier)/view" }
        if comparison.status == .failed { body["error"] = comparison.errorMessage ?? "The comparison failed." }
        return try Responses.json(body)
    }

    /// Opens the viewer with a signed link (the account's key signs it; the person never sees a token).
    @Sendable func view(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        guard let user = context.user else { return WebGuard.signIn(returningTo: request) }
        let identifier = try context.parameters.require("identifier")
        guard try await deps.comparisons.comparisons.find(accountID: user.accountID, identifier: identifier) != nil,
            let account = try await deps.users.accounts.accounts.find(id: user.accountID)
        else { return notFound(context) }
        let validUntil = Int64(Timestamp.now().addingTimeInterval(Self.viewerLinkLifetime).timeIntervalSince1970)
        let signature = ViewerSignature.sign(
            accountID: account.id, identifier: identifier, validUntil: validUntil, token: try deps.users.accounts.token(of: account))
        let path = "/api/v1/comparisons/viewer/\(account.id)/\(Self.escape(identifier))?valid_until=\(validUntil)&signature=\(signature)"
        return WebPages.redirect(path)
    }

    func notFound(_ context: RedlineRequestContext) -> Response {
        pages.comparisonNotFound(WebContext(context))
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._"))) ?? s
    }
}
