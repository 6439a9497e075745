import Foundation
import HTTPTypes
import Hummingbird
import RedlineAPI
import RedlineCore

/// Who is asking, as the pages see it: the signed-in user and the CSRF token forms must echo.
struct WebContext: Sendable {
    var user: User?
    var session: WebSession?
    /// The session's token when signed in; the pre-session form token otherwise.
    var csrfToken: String

    init(_ context: RedlineRequestContext, formToken: String = "") {
        self.user = context.user
        self.session = context.session
        self.csrfToken = context.session?.csrfToken ?? formToken
    }
}

/// Loads the session named by the signed session cookie into the request context.
struct WebSessionMiddleware<Users: UserRepository, Accounts: AccountRepository>: RouterMiddleware {
    typealias Context = RedlineRequestContext
    let users: UserService<Users, Accounts>
    let cookies: WebCookies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = cookies.value(WebCookies.session, in: request), let (session, user) = try await users.session(cookieToken: token) {
            context.session = session
            context.user = user
        }
        return try await next(request, context)
    }
}

/// The checks every state-changing request passes before it does anything.
enum WebGuard {
    /// The request's form (or `X-CSRF-Token` header) must carry the session's CSRF token, and a
    /// browser-sent `Origin` must be our own.
    static func checkCSRF(_ request: Request, form: WebForm, expected: String, publicURL: String?) -> Bool {
        if let origin = request.headers[.origin]?.lowercased(), origin != "null" {
            let ours = [RequestOrigin.of(request), publicURL.flatMap(Self.origin(of:))].compactMap { $0?.lowercased() }
            guard ours.contains(origin) else { return false }
        }
        let sent = form["csrf"] ?? request.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
        return !expected.isEmpty && WebToken.constantTimeEquals(sent, expected)
    }

    /// `scheme://host[:port]` of an absolute URL.
    static func origin(of url: String) -> String? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else { return nil }
        return "\(scheme)://\(host)" + (parsed.port.map { ":\($0)" } ?? "")
    }

    /// Where to send a signed-out visitor: the sign-in page, returning here afterwards.
    static func signIn(returningTo request: Request) -> Response {
        let path = request.uri.path
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/-_."))
        let next = path.hasPrefix("/app") ? "?next=" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") : ""
        return WebPages.redirect("/login" + next)
    }

    /// The client for per-address limits: behind a load balancer, the address it appended last to
    /// `X-Forwarded-For` (the one hop a client cannot forge); otherwise the peer address.
    static func clientAddress(_ request: Request, context: RedlineRequestContext) -> String {
        if let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return context.remoteAddress ?? "unknown"
    }

    static func wantsJSON(_ request: Request) -> Bool {
        (request.headers[.accept] ?? "").contains("application/json")
    }
}
