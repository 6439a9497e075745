import Foundation
import Hummingbird
import RedlineAPI
import RedlineCore

/// Administration of one's own account (admins only): users, the API token, limits, viewer
/// settings and usage.
struct AdminController<Users: UserRepository, Accounts: AccountRepository, Comparisons: ComparisonRepository & ComparisonHistory, Blobs: BlobStore> {
    let deps: WebDependencies<Users, Accounts, Comparisons, Blobs>
    let pages: WebPages

    func addRoutes(to group: RouterGroup<RedlineRequestContext>) {
        group.get("app/admin") { request, context in
            try await admin(request, context) { _ in WebPages.redirect("/app/admin/users") }
        }
        group.get("app/admin/users", use: usersPage)
        group.post("app/admin/users", use: invite)
        group.post("app/admin/users/:user/:action", use: userAction)
        group.get("app/admin/tokens", use: tokensPage)
        group.post("app/admin/tokens/:action", use: tokenAction)
        group.get("app/admin/settings", use: settingsPage)
        group.post("app/admin/settings", use: saveSettings)
        group.get("app/admin/usage", use: usagePage)
    }

    // MARK: users

    @Sendable func usersPage(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await admin(request, context) { user in
            pages.render("admin-users", try await usersValues(user), context: WebContext(context))
        }
    }

    func usersValues(_ admin: User) async throws -> [String: Any] {
        let users = try await deps.users.list(accountID: admin.accountID)
        let now = Timestamp.now()
        return [
            "title": "Users", "nav": "admin", "tab_users": true,
            "users": users.map { u -> [String: Any] in
                [
                    "id": u.id, "name": u.name, "email": u.email, "role": u.role.rawValue, "isSelf": u.id == admin.id,
                    "state": u.disabled ? "Disabled" : (u.lockedUntil ?? .distantPast) > now ? "Locked" : u.passwordHash == nil ? "Invited" : "Active",
                    "disabled": u.disabled, "lastLogin": ComparisonView.date(u.lastLoginAt),
                ]
            },
        ]
    }

    @Sendable func invite(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await adminPost(request, context) { admin, form in
            var values = try await usersValues(admin)
            do {
                let role = UserRole(rawValue: form["role"] ?? "") ?? .member
                let (user, token) = try await deps.users.create(
                    accountID: admin.accountID, email: form["email"] ?? "", name: form["name"] ?? "", role: role, password: nil)
                values = try await usersValues(admin)
                values["oneTimeUrl"] = link(request, token ?? "")
                values["notice"] = "\(user.email) was invited. Send them this one-time link to choose a password (valid 72 hours, shown only once)."
            } catch let error as RedlineError {
                values["error"] = WebMessages.describe(error)
                return pages.render("admin-users", values, context: WebContext(context), status: .badRequest)
            }
            return pages.render("admin-users", values, context: WebContext(context))
        }
    }

    @Sendable func userAction(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await adminPost(request, context) { admin, _ in
            let userID = try context.parameters.require("user")
            let action = try context.parameters.require("action")
            var values = try await usersValues(admin)
            if userID == admin.id && action != "reset" {
                values["error"] = "You cannot disable yourself; ask another administrator."
                return pages.render("admin-users", values, context: WebContext(context), status: .badRequest)
            }
            switch action {
            case "disable", "enable":
                try await deps.users.setDisabled(action == "disable", userID: userID, accountID: admin.accountID)
                return WebPages.redirect("/app/admin/users")
            case "reset":
                let token = try await deps.users.issuePasswordLink(userID: userID, accountID: admin.accountID)
                values = try await usersValues(admin)
                values["oneTimeUrl"] = link(request, token)
                values["notice"] = "Password reset link created; the user's sessions were ended. Send them this one-time link (valid 72 hours, shown only once)."
                return pages.render("admin-users", values, context: WebContext(context))
            default:
                return pages.message("Unknown action", "No action '\(action)'.", context: WebContext(context), status: .notFound)
            }
        }
    }

    func link(_ request: Request, _ token: String) -> String {
        "\(deps.publicURL ?? RequestOrigin.of(request))/password/\(token)"
    }

    // MARK: API token

    @Sendable func tokensPage(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await admin(request, context) { user in
            pages.render("admin-tokens", try await tokenValues(user), context: WebContext(context))
        }
    }

    func tokenValues(_ admin: User) async throws -> [String: Any] {
        guard let account = try await deps.users.accounts.accounts.find(id: admin.accountID) else { return [:] }
        return [
            "title": "API token", "nav": "admin", "tab_tokens": true, "accountID": account.id, "accountName": account.name,
            "revoked": account.tokenRevoked, "updated": ComparisonView.date(account.tokenUpdatedAt ?? account.createdAt),
        ]
    }

    @Sendable func tokenAction(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await adminPost(request, context) { admin, _ in
            switch try context.parameters.require("action") {
            case "rotate":
                let credentials = try await deps.users.accounts.rotateToken(accountID: admin.accountID)
                var values = try await tokenValues(admin)
                values["newToken"] = credentials.authToken
                values["notice"] = "A new API token was created and the previous one stopped working. Copy it now: it is shown only once."
                return pages.render("admin-tokens", values, context: WebContext(context))
            case "revoke":
                try await deps.users.accounts.revokeToken(accountID: admin.accountID)
                return WebPages.redirect("/app/admin/tokens")
            default:
                return pages.message("Unknown action", "No such token action.", context: WebContext(context), status: .notFound)
            }
        }
    }

    // MARK: limits and viewer settings

    @Sendable func settingsPage(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await admin(request, context) { user in
            let settings = try await deps.settings.settings(accountID: user.accountID)
            return pages.render("admin-settings", settingsValues(settings, form: nil), context: WebContext(context))
        }
    }

    func settingsValues(_ s: AccountSettings, form: WebForm?) -> [String: Any] {
        func value(_ name: String, _ current: String) -> String { form?[name] ?? current }
        return [
            "title": "Limits and viewer", "nav": "admin", "tab_settings": true,
            "maxFileMB": value("max_file_mb", s.maxFileBytes.map { String($0 / 1_048_576) } ?? ""),
            "maxPages": value("max_pages", s.maxPages.map(String.init) ?? ""),
            "retentionDays": value("retention_days", s.retentionDays.map(String.init) ?? ""),
            "installationMaxFileMB": deps.comparisons.maxFileBytes / 1_048_576, "installationMaxPages": deps.installationMaxPages,
            "insertColor": value("insert_color", s.viewer.insertColor), "deleteColor": value("delete_color", s.viewer.deleteColor),
            "replaceColor": value("replace_color", s.viewer.replaceColor), "styleColor": value("style_color", s.viewer.styleColor),
            "moveColor": value("move_color", s.viewer.moveColor), "defaultZoom": value("default_zoom", String(s.viewer.defaultZoom)),
            "frameAncestors": value("frame_ancestors", s.viewer.frameAncestors ?? ""),
            "installationFrameAncestors": deps.installationFrameAncestors,
        ]
    }

    @Sendable func saveSettings(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await adminPost(request, context) { admin, form in
            var settings = try await deps.settings.settings(accountID: admin.accountID)
            var problems: [String] = []
            func limit(_ name: String, _ label: String, range: ClosedRange<Int>) -> Int? {
                guard let text = form[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
                guard let n = Int(text), range.contains(n) else {
                    problems.append("\(label) must be a whole number from \(range.lowerBound) to \(range.upperBound), or empty for the default.")
                    return nil
                }
                return n
            }
            settings.maxFileBytes = limit("max_file_mb", "Maximum file size", range: 1...100_000).map { $0 * 1_048_576 }
            settings.maxPages = limit("max_pages", "Maximum pages", range: 1...1_000_000)
            settings.retentionDays = limit("retention_days", "Retention", range: 1...36_500)
            for (field, label, keyPath) in [
                ("insert_color", "Insert colour", \ViewerSettings.insertColor), ("delete_color", "Delete colour", \.deleteColor),
                ("replace_color", "Replace colour", \.replaceColor), ("style_color", "Style colour", \.styleColor),
                ("move_color", "Move colour", \.moveColor),
            ] as [(String, String, WritableKeyPath<ViewerSettings, String>)] {
                let color = (form[field] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
                if ViewerSettings.isValidColor(color) { settings.viewer[keyPath: keyPath] = color } else {
                    problems.append("\(label) must be a colour like #1565c0.")
                }
            }
            settings.viewer.defaultZoom = limit("default_zoom", "Default zoom", range: 50...300) ?? 100
            let ancestors = (form["frame_ancestors"] ?? "").trimmingCharacters(in: .whitespaces)
            if ancestors.isEmpty {
                settings.viewer.frameAncestors = nil
            } else if ViewerSettings.isValidFrameAncestors(ancestors) {
                settings.viewer.frameAncestors = ancestors
            } else {
                problems.append("Frame ancestors must be 'self', 'none' or https:// origins separated by spaces.")
            }
            if !problems.isEmpty {
                var values = settingsValues(settings, form: form)
                values["error"] = problems.joined(separator: " ")
                return pages.render("admin-settings", values, context: WebContext(context), status: .badRequest)
            }
            try await deps.settings.save(settings, accountID: admin.accountID)
            var values = settingsValues(settings, form: nil)
            values["notice"] = "Settings saved."
            return pages.render("admin-settings", values, context: WebContext(context))
        }
    }

    // MARK: usage

    @Sendable func usagePage(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        try await admin(request, context) { user in
            let since = Timestamp.now().addingTimeInterval(-30 * 86_400)
            let days = try await deps.usage.days(accountID: user.accountID, since: since)
            let stored = try await deps.usage.storedBytes(accountID: user.accountID)
            let peak = max(1, days.map(\.comparisons).max() ?? 1)
            let values: [String: Any] = [
                "title": "Usage", "nav": "admin", "tab_usage": true,
                "days": days.reversed().map { d -> [String: Any] in
                    ["day": d.day, "comparisons": d.comparisons, "pages": d.pages, "bar": max(2, d.comparisons * 100 / peak)]
                },
                "hasDays": !days.isEmpty, "totalComparisons": days.map(\.comparisons).reduce(0, +), "totalPages": days.map(\.pages).reduce(0, +),
                "storage": ByteCountFormatter.string(fromByteCount: stored, countStyle: .file),
            ]
            return pages.render("admin-usage", values, context: WebContext(context))
        }
    }

    // MARK: guards

    func admin(_ request: Request, _ context: RedlineRequestContext, _ body: (User) async throws -> Response) async throws -> Response {
        guard let user = context.user else { return WebGuard.signIn(returningTo: request) }
        guard user.isAdmin else { return forbidden(context) }
        return try await body(user)
    }

    func adminPost(_ request: Request, _ context: RedlineRequestContext, _ body: (User, WebForm) async throws -> Response) async throws -> Response {
        guard let user = context.user, let session = context.session else { return WebGuard.signIn(returningTo: request) }
        guard user.isAdmin else { return forbidden(context) }
        let form = try await WebForm.read(request, limit: 16_384)
        guard WebGuard.checkCSRF(request, form: form, expected: session.csrfToken, publicURL: deps.publicURL) else {
            return pages.formExpired(WebContext(context))
        }
        return try await body(user, form)
    }

    func forbidden(_ context: RedlineRequestContext) -> Response {
        pages.message("Administrators only", "This page is for your account's administrators.", context: WebContext(context), status: .forbidden)
    }
}
