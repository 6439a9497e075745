import Foundation
import HTTPTypes
import Hummingbird
import RedlineAPI
import RedlineCore

/// First run, sign-in, sign-out and one-time set-password links.
///
/// Forms shown before a session exists carry a double-submit token (a signed cookie plus the same
/// value in the form), so even the sign-in form cannot be posted from another site. A successful
/// sign-in always starts a new session id; a session id from before sign-in is never kept.
struct AuthController<Users: UserRepository, Accounts: AccountRepository, Comparisons: ComparisonRepository & ComparisonHistory, Blobs: BlobStore> {
    let deps: WebDependencies<Users, Accounts, Comparisons, Blobs>
    let pages: WebPages

    func addRoutes(to group: RouterGroup<RedlineRequestContext>) {
        group.get("/", use: home)
        group.get("login", use: loginPage)
        group.post("login", use: login)
        group.post("logout", use: logout)
        group.get("setup", use: setupPage)
        group.post("setup", use: setup)
        group.get("password/:token", use: passwordPage)
        group.post("password/:token", use: setPassword)
    }

    @Sendable func home(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        if context.user != nil { return WebPages.redirect("/app") }
        return WebPages.redirect(try await deps.users.needsSetup() ? "/setup" : "/login")
    }

    // MARK: sign-in

    @Sendable func loginPage(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        if try await deps.users.needsSetup() { return WebPages.redirect("/setup") }
        if context.user != nil { return WebPages.redirect("/app") }
        let query = QueryValues(request)
        var values: [String: Any] = ["title": "Sign in", "next": Self.safeNext(query["next"]) ?? ""]
        if query["reset"] != nil { values["notice"] = "Your password is set. Sign in with it." }
        if query["signedout"] != nil { values["notice"] = "You are signed out." }
        return formPage("login", values, request: request, context: context)
    }

    @Sendable func login(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, limit: 16_384)
        guard checkFormToken(request, form) else { return expiredForm(request, context: context) }
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var values: [String: Any] = ["title": "Sign in", "email": email, "next": Self.safeNext(form["next"]) ?? ""]
        let window: TimeInterval = 60
        let client = WebGuard.clientAddress(request, context: context)
        let allowedClient = await deps.rateLimiter.allow(key: "login:addr:\(client)", limit: deps.loginAttemptsPerMinute * 3, window: window)
        let allowedEmail = await deps.rateLimiter.allow(key: "login:email:\(email)", limit: deps.loginAttemptsPerMinute, window: window)
        guard allowedClient, allowedEmail else {
            values["error"] = "Too many sign-in attempts. Wait a minute and try again."
            return formPage("login", values, request: request, context: context, status: .tooManyRequests)
        }
        switch try await deps.users.signIn(email: email, password: form["password"] ?? "") {
        case .signedIn(_, _, let cookieToken):
            // Never keep a session id from before sign-in (fixation): the old one is ended too.
            if let old = deps.cookies.value(WebCookies.session, in: request) { try? await deps.users.signOut(cookieToken: old) }
            let lifetime = Int(deps.users.policy.sessionLifetime)
            return WebPages.redirect(
                Self.safeNext(form["next"]) ?? "/app",
                cookies: [
                    deps.cookies.setCookie(WebCookies.session, value: cookieToken, maxAge: lifetime, request: request),
                    deps.cookies.setCookie(WebCookies.formToken, value: "", maxAge: 0, request: request),
                ])
        case .invalid:
            values["error"] = "Wrong email or password."
            return formPage("login", values, request: request, context: context, status: .unauthorized)
        case .disabled:
            values["error"] = "This user is disabled. Ask an administrator of your account."
            return formPage("login", values, request: request, context: context, status: .forbidden)
        case .locked(let until):
            let minutes = max(1, Int((until.timeIntervalSinceNow / 60).rounded(.up)))
            values["error"] = "Too many wrong passwords: this user is locked for \(minutes) more minute\(minutes == 1 ? "" : "s"). An administrator can send a reset link."
            return formPage("login", values, request: request, context: context, status: .tooManyRequests)
        }
    }

    @Sendable func logout(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let form = try await WebForm.read(request, limit: 16_384)
        guard let session = context.session else { return WebPages.redirect("/login") }
        guard WebGuard.checkCSRF(request, form: form, expected: session.csrfToken, publicURL: deps.publicURL) else {
            return expiredForm(request, context: context)
        }
        if let token = deps.cookies.value(WebCookies.session, in: request) { try await deps.users.signOut(cookieToken: token) }
        return WebPages.redirect(
            "/login?signedout=1", cookies: [deps.cookies.setCookie(WebCookies.session, value: "", maxAge: 0, request: request)])
    }

    // MARK: first run

    @Sendable func setupPage(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        guard try await deps.users.needsSetup() else { return WebPages.redirect("/login") }
        return formPage("setup", ["title": "Set up Redline"], request: request, context: context)
    }

    @Sendable func setup(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        guard try await deps.users.needsSetup() else { return WebPages.redirect("/login") }
        let form = try await WebForm.read(request, limit: 16_384)
        guard checkFormToken(request, form) else { return expiredForm(request, context: context) }
        var values: [String: Any] = [
            "title": "Set up Redline", "organisation": form["organisation"] ?? "", "name": form["name"] ?? "", "email": form["email"] ?? "",
        ]
        do {
            guard form["password"] == form["password_confirm"] else { throw RedlineError.invalid("password", "the two passwords differ") }
            _ = try await deps.users.setUp(
                accountName: (form["organisation"] ?? "").isEmpty ? "Redline" : form["organisation"]!, email: form["email"] ?? "",
                name: form["name"] ?? "", password: form["password"] ?? "")
        } catch let error as RedlineError {
            values["error"] = WebMessages.describe(error)
            return formPage("setup", values, request: request, context: context, status: .badRequest)
        }
        return WebPages.redirect("/login?reset=1")
    }

    // MARK: one-time links

    @Sendable func passwordPage(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let user = try await deps.users.user(forPasswordToken: token) else {
            return pages.message(
                "Link not valid", "This link is invalid, used or expired. Ask an administrator for a new one.", context: WebContext(context),
                status: .notFound)
        }
        return formPage("password", ["title": "Choose a password", "email": user.email], request: request, context: context)
    }

    @Sendable func setPassword(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let form = try await WebForm.read(request, limit: 16_384)
        guard checkFormToken(request, form) else { return expiredForm(request, context: context) }
        do {
            guard form["password"] == form["password_confirm"] else { throw RedlineError.invalid("password", "the two passwords differ") }
            _ = try await deps.users.setPassword(token: token, password: form["password"] ?? "")
        } catch let error as RedlineError {
            let email = try await deps.users.user(forPasswordToken: token)?.email ?? ""
            return formPage(
                "password", ["title": "Choose a password", "email": email, "error": WebMessages.describe(error)], request: request,
                context: context, status: .badRequest)
        }
        return WebPages.redirect("/login?reset=1")
    }

    // MARK: helpers

    /// Renders a pre-session form with its double-submit token, setting the cookie when new.
    func formPage(
        _ template: String, _ values: [String: Any], request: Request, context: RedlineRequestContext, status: HTTPResponse.Status = .ok
    ) -> Response {
        let existing = deps.cookies.value(WebCookies.formToken, in: request)
        let token = existing ?? WebToken.make()
        var response = pages.render(template, values, context: WebContext(context, formToken: token), status: status)
        if existing == nil {
            response.headers.append(HTTPField(name: .setCookie, value: deps.cookies.setCookie(WebCookies.formToken, value: token, maxAge: 7200, request: request)))
        }
        return response
    }

    func checkFormToken(_ request: Request, _ form: WebForm) -> Bool {
        guard let token = deps.cookies.value(WebCookies.formToken, in: request) else { return false }
        return WebGuard.checkCSRF(request, form: form, expected: token, publicURL: deps.publicURL)
    }

    func expiredForm(_ request: Request, context: RedlineRequestContext) -> Response {
        pages.formExpired(WebContext(context))
    }

    /// Only our own app paths are followed after sign-in (no open redirects).
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/app"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("://") else { return nil }
        return next
    }
}

/// A request's query string values.
struct QueryValues {
    var values: [String: String] = [:]

    init(_ request: Request) {
        for (key, value) in URLEncodedForm.parse(request.uri.query ?? "") { values[key] = value }
    }

    subscript(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : $0 } }
}

/// Error messages for people, not programs.
enum WebMessages {
    static func describe(_ error: RedlineError) -> String {
        switch error {
        case .validation(let detail, let fields):
            if fields.count == 1, let (field, messages) = fields.first {
                return "\(field.replacingOccurrences(of: "_", with: " ").capitalized): \(messages.joined(separator: "; "))."
            }
            return detail
        default:
            return error.description
        }
    }
}
