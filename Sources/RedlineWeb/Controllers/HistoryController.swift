import Foundation
import Hummingbird
import RedlineAPI
import RedlineCore

/// The account's comparisons, newest first, with search and filters, and what can be done to one:
/// delete, set or clear expiry, share with a revocable link, make public.
struct HistoryController<Users: UserRepository, Accounts: AccountRepository, Comparisons: ComparisonRepository & ComparisonHistory, Blobs: BlobStore> {
    let deps: WebDependencies<Users, Accounts, Comparisons, Blobs>
    let pages: WebPages
    static var pageSize: Int { 25 }

    func addRoutes(to group: RouterGroup<RedlineRequestContext>) {
        group.get("app/history", use: history)
        group.post("app/comparisons/:identifier/share", use: share)
        group.post("app/comparisons/:identifier/shares/:share/revoke", use: revoke)
        group.post("app/comparisons/:identifier/public", use: setPublic)
        group.post("app/comparisons/:identifier/expiry", use: setExpiry)
        group.post("app/comparisons/:identifier/delete", use: delete)
    }

    @Sendable func history(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        guard let user = context.user else { return WebGuard.signIn(returningTo: request) }
        let query = QueryValues(request)
        let pageNumber = max(1, Int(query["page"] ?? "1") ?? 1)
        let status = query["status"].flatMap(ComparisonStatus.init(rawValue:))
        let result = try await deps.comparisons.comparisons.search(
            accountID: user.accountID,
            ComparisonSearch(text: query["q"], status: status, limit: Self.pageSize, offset: (pageNumber - 1) * Self.pageSize))
        let pageCount = max(1, (result.totalCount + Self.pageSize - 1) / Self.pageSize)
        func link(_ page: Int) -> String {
            var parts = ["page=\(page)"]
            if let q = query["q"] { parts.append("q=\(CompareController<Users, Accounts, Comparisons, Blobs>.escape(q))") }
            if let status { parts.append("status=\(status.rawValue)") }
            return "/app/history?" + parts.joined(separator: "&")
        }
        var values: [String: Any] = [
            "title": "History", "nav": "history", "q": query["q"] ?? "", "rows": result.comparisons.map(ComparisonView.row),
            "total": result.totalCount, "isEmpty": result.comparisons.isEmpty, "page": pageNumber, "pageCount": pageCount,
            "statuses": ["queued", "processing", "ready", "failed"].map { name -> [String: Any] in
                ["value": name, "selected": name == (status?.rawValue ?? "")]
            },
        ]
        if pageNumber > 1 { values["previousUrl"] = link(pageNumber - 1) }
        if pageNumber < pageCount { values["nextUrl"] = link(pageNumber + 1) }
        return pages.render("history", values, context: WebContext(context))
    }

    /// Creates a share link valid for the chosen number of hours and shows it once.
    @Sendable func share(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await act(request, context) { user, identifier, form, comparison in
            let hours = min(max(Int(form["hours"] ?? "") ?? 72, 1), 24 * 90)
            let token = WebToken.make()
            let now = Timestamp.now()
            try await deps.shares.insert(
                ShareLink(
                    id: RandomToken.identifier(length: 12), accountID: user.accountID, identifier: identifier,
                    comparisonCreationTime: comparison.creationTime, tokenHash: TokenHasher.hash(token), createdAt: now,
                    expiresAt: now.addingTimeInterval(Double(hours) * 3600), createdBy: user.id))
            let base = deps.publicURL ?? RequestOrigin.of(request)
            let url = "\(base)/api/v1/comparisons/viewer/\(user.accountID)/\(CompareController<Users, Accounts, Comparisons, Blobs>.escape(identifier))?share=\(token)"
            var values = ComparisonView.details(
                comparison, shares: try await deps.shares.list(accountID: user.accountID, identifier: identifier), now: now)
            values["newShareUrl"] = url
            values["notice"] = "Share link created, valid for \(hours) hour\(hours == 1 ? "" : "s"). Copy it now: it is shown only once."
            return pages.render("comparison", values, context: WebContext(context))
        }
    }

    @Sendable func revoke(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await act(request, context) { user, identifier, _, _ in
            let share = try context.parameters.require("share")
            _ = try await deps.shares.revoke(accountID: user.accountID, id: share, at: Timestamp.now())
            return WebPages.redirect("/app/comparisons/\(identifier)")
        }
    }

    @Sendable func setPublic(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await act(request, context) { user, identifier, form, _ in
            _ = try await deps.comparisons.comparisons.setPublic(accountID: user.accountID, identifier: identifier, isPublic: form["public"] == "1")
            return WebPages.redirect("/app/comparisons/\(identifier)")
        }
    }

    @Sendable func setExpiry(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await act(request, context) { user, identifier, form, comparison in
            var expiry: Date?
            if let day = form["expires"], !day.isEmpty, form["clear"] == nil {
                guard let date = ComparisonView.parseDay(day), date.addingTimeInterval(86_399) > Timestamp.now() else {
                    var values = ComparisonView.details(
                        comparison, shares: try await deps.shares.list(accountID: user.accountID, identifier: identifier), now: Timestamp.now())
                    values["error"] = "Choose an expiry date from today on (YYYY-MM-DD)."
                    return pages.render("comparison", values, context: WebContext(context), status: .badRequest)
                }
                expiry = date.addingTimeInterval(86_399)  // the end of that day, UTC
            }
            _ = try await deps.comparisons.comparisons.setExpiry(accountID: user.accountID, identifier: identifier, expiryTime: expiry)
            return WebPages.redirect("/app/comparisons/\(identifier)")
        }
    }

    @Sendable func delete(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await act(request, context) { user, identifier, _, _ in
            try await deps.comparisons.delete(accountID: user.accountID, identifier: identifier)
            return WebPages.redirect("/app/history")
        }
    }

    /// The shared steps of every action: signed in, CSRF checked, the comparison in the user's account.
    func act(
        _ request: Request, _ context: RedlineRequestContext,
        _ body: (User, String, WebForm, Comparison) async throws -> Response
    ) async throws -> Response {
        guard let user = context.user, let session = context.session else { return WebGuard.signIn(returningTo: request) }
        let form = try await WebForm.read(request, limit: 16_384)
        guard WebGuard.checkCSRF(request, form: form, expected: session.csrfToken, publicURL: deps.publicURL) else {
            return pages.formExpired(WebContext(context))
        }
        let identifier = try context.parameters.require("identifier")
        guard let comparison = try await deps.comparisons.comparisons.find(accountID: user.accountID, identifier: identifier) else {
            return pages.comparisonNotFound(WebContext(context))
        }
        return try await body(user, identifier, form, comparison)
    }
}
